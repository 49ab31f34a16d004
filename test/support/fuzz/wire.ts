import { Agent, request } from 'node:http';
import { serializeJson, FuzzRequest, Operation } from './openapi-arbitraries';

export interface WireResponse {
  status: number;
  contentType: string;
  body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

export function closeWire(): void {
  agent.destroy();
}

export function urlOf(op: Operation, req: FuzzRequest): string {
  const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => req.path[name] ?? '');
  const query = req.query.map(([k, v]) => `${k}=${v}`).join('&');
  return query ? `${path}?${query}` : path;
}

/**
 * Sends a generated request as raw HTTP/1.1 (not through fetch or the generated client, which would
 * refuse or repair much of what an attacker sends) and reads at most 64 KiB of the answer.
 */
export async function send(baseUrl: string, op: Operation, req: FuzzRequest, token: string | undefined, timeoutMs = 20_000): Promise<WireResponse> {
  try {
    return await sendOnce(baseUrl, op, req, token, timeoutMs, agent);
  } catch (error) {
    // A kept-alive connection that the server had closed (after answering a request it would not
    // read to the end, say) fails on reuse; the same request on a new connection is the real test.
    if ((error as Error).message.includes('no answer')) throw error;
    return sendOnce(baseUrl, op, req, token, timeoutMs, false);
  }
}

function sendOnce(baseUrl: string, op: Operation, req: FuzzRequest, token: string | undefined, timeoutMs: number, via: Agent | false): Promise<WireResponse> {
  const url = new URL(baseUrl);
  const headers: Record<string, string> = { ...req.headers };
  if (token !== undefined) headers.authorization = token.includes(' ') ? token : `Bearer ${token}`;
  let payload: Buffer | undefined;
  if (req.body?.kind === 'json') {
    payload = Buffer.from(serializeJson(req.body.value), 'utf8');
    headers['content-type'] = 'application/json';
  } else if (req.body?.kind === 'form') {
    payload = Buffer.from(req.body.fields.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&'), 'latin1');
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (req.body?.kind === 'raw') {
    const text = req.body.raw.text;
    payload = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
    if (req.body.raw.contentType) headers['content-type'] = req.body.raw.contentType;
  }
  if (payload) headers['content-length'] = String(payload.length);
  return new Promise((resolve, reject) => {
    const r = request(
      { host: url.hostname, port: url.port, method: op.method, path: urlOf(op, req), headers, agent: via },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < 65_536) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    r.setTimeout(timeoutMs, () => r.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    r.on('error', reject);
    r.end(payload);
  });
}
