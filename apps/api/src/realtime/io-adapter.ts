import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';

/** The options type of the socket.io copy that @nestjs/platform-socket.io uses. */
type ServerOptions = NonNullable<Parameters<IoAdapter['createIOServer']>[1]>;

export interface RealtimeOptions {
  /** `CORS_ORIGINS`: `true` allows any origin. */
  corsOrigins: true | string[];
  /** `WS_MAX_MESSAGE_BYTES`: a bigger client message closes the connection. */
  maxMessageBytes: number;
}

/**
 * Socket.IO on the application's own HTTP server, with the service's rules applied to every
 * gateway: browser origins checked against `CORS_ORIGINS` on every transport (WebSocket upgrades
 * included, which CORS alone does not cover), a cap on message size, and no client bundle served.
 */
export class RealtimeIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly options: RealtimeOptions,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): ReturnType<IoAdapter['createIOServer']> {
    const { corsOrigins, maxMessageBytes } = this.options;
    const allowed = (origin: string | undefined) => origin === undefined || corsOrigins === true || corsOrigins.includes(origin);
    return super.createIOServer(port, {
      ...options,
      serveClient: false,
      maxHttpBufferSize: maxMessageBytes,
      cors: { origin: corsOrigins === true ? true : corsOrigins, credentials: false },
      // Non-browser clients send no Origin; browsers always do, and a foreign one is refused.
      allowRequest: (req, callback) => callback(null, allowed(req.headers.origin)),
    } as ServerOptions);
  }
}
