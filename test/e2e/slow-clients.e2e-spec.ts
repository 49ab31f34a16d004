import { connect, Socket } from 'node:net';
import { startTestApp, TestApp } from '../support/test-app';

const TIMEOUT_MS = 1_500;

/** A raw connection that records what the server writes and when it closes the connection. */
function open(t: TestApp): Promise<{ socket: Socket; closed: Promise<{ afterMs: number; text: string }> }> {
  const { port } = new URL(t.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    const started = Date.now();
    socket.on('data', (c: Buffer) => chunks.push(c));
    const closed = new Promise<{ afterMs: number; text: string }>((done) =>
      socket.on('close', () => done({ afterMs: Date.now() - started, text: Buffer.concat(chunks).toString('utf8') })),
    );
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

/** Resolves with the close, or rejects when the server still holds the connection at the deadline. */
function closedWithin<T>(closed: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the server still held the connection after ${ms} ms`)), ms);
  });
  return Promise.race([closed, deadline]).finally(() => clearTimeout(timer));
}

describe('slow clients (slowloris)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { HTTP_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('closes a connection whose body trickles in, with 408 problem+json', async () => {
    const { socket, closed } = await open(t);
    socket.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"lo');
    // One more byte now and then: without a request timeout the connection would stay open for ever.
    const drip = setInterval(() => socket.writable && socket.write(' '), 200);
    try {
      const { afterMs, text } = await closedWithin(closed, 15_000);
      expect(afterMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
      expect(text).toMatch(/^HTTP\/1\.1 408 /);
      expect(text).toMatch(/content-type: application\/problem\+json/i);
      expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 408, code: 'REQUEST_TIMEOUT' });
    } finally {
      clearInterval(drip);
      socket.destroy();
    }
  });

  it('closes a connection whose headers never end', async () => {
    const { socket, closed } = await open(t);
    socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => socket.writable && socket.write('X-a: b\r\n'), 200);
    try {
      const { text } = await closedWithin(closed, 15_000);
      expect(text).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      clearInterval(drip);
      socket.destroy();
    }
  });

  it('still serves a client that sends its request in time', async () => {
    const res = await fetch(`${t.baseUrl}/health/live`);
    expect(res.status).toBe(200);
  });
});
