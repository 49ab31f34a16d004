import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  subject: string;
  messageId: string;
  text: string;
  html: string;
  raw: string;
}

function decodeQuotedPrintable(input: string): string {
  const bytes: number[] = [];
  const text = input.replace(/=\r?\n/g, '');
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(text[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function headerOf(head: string, name: string): string {
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const match = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(unfolded);
  return match?.[1]?.trim() ?? '';
}

function decodeBody(head: string, body: string): string {
  const encoding = headerOf(head, 'Content-Transfer-Encoding').toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

function decodeSubject(value: string): string {
  return value.replace(/=\?utf-8\?([BQ])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
  );
}

/** Enough MIME for the messages nodemailer writes: single part or multipart/alternative of text and HTML. */
export function parseMail(raw: string, to: string[]): ReceivedMail {
  const split = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, split);
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const contentType = headerOf(head, 'Content-Type');
  let text = '';
  let html = '';
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (boundary) {
    for (const part of body.split(`--${boundary}`)) {
      const at = part.search(/\r?\n\r?\n/);
      if (at < 0) continue;
      const partHead = part.slice(0, at);
      const partBody = part.slice(at).replace(/^\r?\n\r?\n/, '').replace(/\r?\n$/, '');
      const type = headerOf(partHead, 'Content-Type').toLowerCase();
      if (type.startsWith('text/plain')) text = decodeBody(partHead, partBody);
      else if (type.startsWith('text/html')) html = decodeBody(partHead, partBody);
    }
  } else if (contentType.toLowerCase().startsWith('text/html')) html = decodeBody(head, body);
  else text = decodeBody(head, body);
  return { to, subject: decodeSubject(headerOf(head, 'Subject')), messageId: headerOf(head, 'Message-ID'), text, html, raw };
}

/**
 * A real SMTP server in the test process: collects every message it accepts. `stop()` and `start()`
 * (same port) simulate an outage.
 */
export class TestSmtpServer {
  readonly messages: ReceivedMail[] = [];
  private server?: SMTPServer;
  port = 0;

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
          this.messages.push(parseMail(Buffer.concat(chunks).toString('utf8'), to));
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  to(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.to.includes(address.toLowerCase()));
  }

  /** Waits for a message to an address with this subject and returns the latest such. */
  async waitForSubject(address: string, subject: string, timeoutMs = 15_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.to(address).filter((m) => m.subject === subject);
      if (got.length > 0) return got[got.length - 1];
      if (Date.now() > deadline) throw new Error(`no message "${subject}" to ${address} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Waits for the `count`-th message to an address whose subject matches (1-based); deliveries may finish out of order. */
  async waitForMatching(address: string, subject: RegExp, count = 1, timeoutMs = 15_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.to(address).filter((m) => subject.test(m.subject));
      if (got.length >= count) return got[count - 1];
      if (Date.now() > deadline) throw new Error(`no message #${count} matching ${subject} to ${address} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Waits for the `count`-th message to an address (1-based) and returns it. */
  async waitFor(address: string, count = 1, timeoutMs = 15_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.to(address);
      if (got.length >= count) return got[count - 1];
      if (Date.now() > deadline) throw new Error(`no message #${count} to ${address} within ${timeoutMs} ms (got ${got.length})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** The six-digit code in a message's text. */
export function codeIn(text: string): string {
  const match = /\b(\d{6})\b/.exec(text);
  if (!match) throw new Error(`no code in: ${text}`);
  return match[1];
}

/** The first link in a message's text. */
export function linkIn(text: string): string {
  const match = /https?:\/\/\S+/.exec(text);
  if (!match) throw new Error(`no link in: ${text}`);
  return match[0];
}

/**
 * An emailed link is built from PUBLIC_BASE_URL (`origin`); the same path and query on the test
 * server, after checking the link's origin.
 */
export function onTestServer(link: string, origin: string, baseUrl: string): string {
  const url = new URL(link);
  expect(url.origin).toBe(origin);
  return `${baseUrl}${url.pathname}${url.search}`;
}
