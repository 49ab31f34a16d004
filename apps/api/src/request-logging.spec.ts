import Fastify from 'fastify';
import { Writable } from 'node:stream';
import { AppLogger, createRootLogger, requestIdFor } from '@app/core';
import { registerRequestLogging } from './request-logging';

/** A Fastify server logging through our logger into memory, with one route that logs mid-request. */
async function serverLoggingAt(level: string) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const root = createRootLogger({ logLevel: level, env: 'test' }, sink);
  const logger = new AppLogger(root);
  const fastify = Fastify({ genReqId: requestIdFor });
  registerRequestLogging(fastify, root);
  const handler = async (request: { body?: unknown }) => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    logger.warn({ msg: 'inside the handler', body: request.body ?? null }, 'Probe');
    return { ok: true };
  };
  fastify.get('/probe', handler);
  fastify.post('/probe', handler);
  fastify.get('/fails', async () => {
    throw new Error('boom');
  });
  fastify.get('/health/ready', async () => ({ status: 'ok' }));
  await fastify.ready();
  return { fastify, lines, logger };
}

describe('request logging', () => {
  it('tags lines written during a request with its id, and writes one access line with the URL redacted', async () => {
    const { fastify, lines } = await serverLoggingAt('info');
    await fastify.inject({ method: 'GET', url: '/probe?token=secret-link-token&page=2', headers: { 'x-request-id': 'req-1', authorization: 'Bearer abc' } });
    await fastify.inject({ method: 'POST', url: '/probe', headers: { 'x-request-id': 'req-2', 'content-type': 'application/json' }, payload: { password: 'hunter2-hunter2' } });
    await fastify.inject({ method: 'GET', url: '/fails', headers: { 'x-request-id': 'req-3' } });
    await fastify.inject({ method: 'GET', url: '/health/ready' });

    const inside = lines.filter((l) => l.msg === 'inside the handler');
    // The request id survives awaits and, for a POST, the body's parsing.
    expect(inside.map((l) => [l.reqId, l.context])).toEqual([
      ['req-1', 'Probe'],
      ['req-2', 'Probe'],
    ]);
    expect(inside[1].body).toEqual({ password: '[Redacted]' });

    const access = lines.filter((l) => l.msg === 'request completed' || l.msg === 'request errored');
    expect(access.map((l) => [(l.req as { id: string }).id, (l.res as { statusCode: number }).statusCode, l.level])).toEqual([
      ['req-1', 200, 30],
      ['req-2', 200, 30],
      ['req-3', 500, 50],
    ]);
    expect((access[0].req as { url: string }).url).toBe('/probe?token=[Redacted]&page=2');
    expect(typeof access[0].responseTime).toBe('number');
    const everything = JSON.stringify(lines);
    for (const secret of ['secret-link-token', 'hunter2-hunter2', 'Bearer abc']) expect(everything).not.toContain(secret);
    // Probes are not logged.
    expect(everything).not.toContain('/health/ready');
    await fastify.close();
  });

  it('redacts secret query parameters by their decoded name, whatever the spelling', async () => {
    const { fastify, lines } = await serverLoggingAt('info');
    const secrets = ['s3cr3t-a', 's3cr3t-b', 's3cr3t-c', 's3cr3t-d', 's3cr3t-e', 's3cr3t-f', 's3cr3t-g', 's3cr3t-h', 's3cr3t-i', 's3cr3t-j'];
    const query = [
      `%74oken=${secrets[0]}`,
      `token[]=${secrets[1]}`,
      `a=1;token=${secrets[2]}`,
      `ToKeN=${secrets[3]}`,
      `reset_token=${secrets[4]}`,
      `%2574oken=${secrets[5]}`,
      `new%50assword=${secrets[6]}`,
      `refresh-token=${secrets[7]}`,
      `to%6Ben%3D${secrets[8]}`,
      `page=2`,
      `bad%zz=1`,
      `code=${secrets[9]}`,
    ].join('&');
    const res = await fastify.inject({ method: 'GET', url: `/probe?${query}` });
    expect(res.statusCode).toBe(200);
    const access = lines.filter((l) => l.msg === 'request completed');
    expect(access).toHaveLength(1);
    const url = (access[0].req as { url: string }).url;
    for (const secret of secrets) expect(url).not.toContain(secret);
    expect(url).toContain('%74oken=[Redacted]&token[]=[Redacted]&a=1;token=[Redacted]&ToKeN=[Redacted]');
    expect(url).toContain('&page=2&bad%zz=1&');
    expect(JSON.stringify(lines)).not.toMatch(/s3cr3t/);
    await fastify.close();
  });

  it('writes no access line above the info level, and nothing carries a request id outside a request', async () => {
    const { fastify, lines, logger } = await serverLoggingAt('warn');
    await fastify.inject({ method: 'GET', url: '/probe', headers: { 'x-request-id': 'req-9' } });
    logger.warn('between requests', 'Probe');
    expect(lines.map((l) => [l.msg, l.reqId])).toEqual([
      ['inside the handler', 'req-9'],
      ['between requests', undefined],
    ]);
    await fastify.close();
  });

  it('maps Nest’s logger calls: context last, errors under err, the exception handler’s (message, stack, context)', () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        done();
      },
    });
    const logger = new AppLogger(createRootLogger({ logLevel: 'debug', env: 'test' }, sink));
    logger.log('started', 'Bootstrap');
    logger.error(new Error('went wrong'), 'Jobs');
    logger.error('Unhandled', 'Error: Unhandled\n    at somewhere (file.js:1:1)', 'ExceptionsHandler');
    logger.verbose('too detailed');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ level: 30, msg: 'started', context: 'Bootstrap' });
    expect(lines[1]).toMatchObject({ level: 50, msg: 'went wrong', context: 'Jobs', err: { message: 'went wrong' } });
    expect(lines[2]).toMatchObject({ level: 50, msg: 'Unhandled', context: 'ExceptionsHandler', err: { stack: expect.stringContaining('somewhere') } });
  });
});
