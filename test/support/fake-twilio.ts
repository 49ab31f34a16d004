import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface TwilioMessage {
  accountSid: string;
  authorization: string;
  to: string;
  from: string;
  body: string;
}

/**
 * A real HTTP server standing in for Twilio's REST API:
 * `POST /2010-04-01/Accounts/{sid}/Messages.json`, form fields To, From, Body, basic auth.
 */
export class FakeTwilio {
  readonly messages: TwilioMessage[] = [];
  /** Answer this status (with a Twilio-style error body) instead of accepting, while set. */
  failWith?: number;
  /** Never answer (the request hangs until the client gives up), while set. */
  hang = false;
  /** Requests received while hanging. */
  hung = 0;
  private server?: Server;
  port = 0;

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      if (this.hang) {
        this.hung += 1;
        return;
      }
      void this.handle(req).then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) return { status: 404, body: { code: 20404, message: 'not found' } };
    if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') return { status: 400, body: { code: 21000, message: 'bad content type' } };
    if (this.failWith) return { status: this.failWith, body: { code: 20500, message: 'service unavailable' } };
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const message = { accountSid: decodeURIComponent(match[1]), authorization: req.headers.authorization ?? '', to: form.get('To') ?? '', from: form.get('From') ?? '', body: form.get('Body') ?? '' };
    this.messages.push(message);
    return { status: 201, body: { sid: `SM${this.messages.length}`, status: 'queued', to: message.to } };
  }

  to(phone: string): TwilioMessage[] {
    return this.messages.filter((m) => m.to === phone);
  }

  async waitFor(phone: string, count = 1, timeoutMs = 15_000): Promise<TwilioMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.to(phone);
      if (got.length >= count) return got[count - 1];
      if (Date.now() > deadline) throw new Error(`no SMS #${count} to ${phone} within ${timeoutMs} ms (got ${got.length})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    }
  }
}
