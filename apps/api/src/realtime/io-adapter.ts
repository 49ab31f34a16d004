import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';

/** The options type of the socket.io copy that @nestjs/platform-socket.io uses. */
type ServerOptions = NonNullable<Parameters<IoAdapter['createIOServer']>[1]>;
type IoServer = ReturnType<IoAdapter['createIOServer']>;

export interface RealtimeOptions {
  /** `CORS_ORIGINS`: `true` allows any origin. */
  corsOrigins: true | string[];
  /** `WS_MAX_MESSAGE_BYTES`: a bigger client message closes the connection. */
  maxMessageBytes: number;
}

/** How long a connection may stay open without joining a namespace (Socket.IO's default is 45 s). */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Socket.IO on the application's own HTTP server, with the service's rules applied to every
 * gateway: browser origins checked against `CORS_ORIGINS` on every transport (WebSocket upgrades
 * included, which CORS alone does not cover), a cap on message size, and no client bundle served.
 * The default namespace `/` serves nothing and is refused like any unknown namespace (`connect_error`
 * `Invalid namespace`), its connection closed at once; a connection that joins no namespace is
 * closed after ten seconds.
 */
export class RealtimeIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly options: RealtimeOptions,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): IoServer {
    const { corsOrigins, maxMessageBytes } = this.options;
    const allowed = (origin: string | undefined) => origin === undefined || corsOrigins === true || corsOrigins.includes(origin);
    const server = super.createIOServer(port, {
      ...options,
      serveClient: false,
      maxHttpBufferSize: maxMessageBytes,
      connectTimeout: CONNECT_TIMEOUT_MS,
      cors: { origin: corsOrigins === true ? true : corsOrigins, credentials: false },
      // Non-browser clients send no Origin; browsers always do, and a foreign one is refused.
      allowRequest: (req, callback) => callback(null, allowed(req.headers.origin)),
    } as ServerOptions) as IoServer;
    server.of('/').use((socket, next) => {
      next(new Error('Invalid namespace'));
      closeAfterRefusal(socket);
    });
    return server;
  }
}

/**
 * Closes the connection of a refused handshake once its `connect_error` is on its way (Socket.IO
 * writes it on the next tick), instead of holding it until the connect timeout: a client that is
 * refused gets nothing more from this server, and one that ignores the refusal holds no memory.
 */
export function closeAfterRefusal(socket: { conn: { close(): unknown } }): void {
  setImmediate(() => socket.conn.close());
}
