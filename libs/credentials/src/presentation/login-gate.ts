import { Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Counter } from 'prom-client';
import { MetricsService, PROBLEM_CONTENT_TYPE, problemType, statusTitle } from '@app/core';
import { PasswordHasher } from '../domain/ports';

const RETRY_AFTER_SECONDS = '1';
const DETAIL = 'Too many logins in progress; retry shortly';

/**
 * Load shedding of logins, decided in a Fastify `preValidation` hook — before guards, pipes, the rate
 * limiter's statement, the account lookup and the exception filter — when every hashing slot is busy
 * and the queue is full. A refusal costs a flag test and a pre-rendered body: it must stay far cheaper
 * than the login it turns away, or refusing closed-loop clients eats the CPU the hashes need. It is
 * counted (`auth_logins_shed_total`) and logged only by the access log (503s are not errors there).
 * The login use case still checks again (the queue may fill between here and its hash).
 */
@Injectable()
export class LoginGate {
  private readonly shed: Counter<'route'>;

  constructor(
    private readonly hasher: PasswordHasher,
    metrics: MetricsService,
  ) {
    this.shed = metrics.counter('auth_logins_shed_total', 'Logins refused before any work because the password hasher was saturated (503 LOGIN_BUSY)', ['route']);
  }

  /** Installs the gate on `POST {prefix}/auth/login` and the password grant of `POST {prefix}/auth/token`. */
  register(fastify: FastifyInstance, prefix: string): void {
    const loginRoute = `${prefix}/auth/login`;
    const tokenRoute = `${prefix}/auth/token`;
    const problemBody = (instance: string) =>
      JSON.stringify({ type: problemType('LOGIN_BUSY'), title: statusTitle(503), status: 503, detail: DETAIL, instance, code: 'LOGIN_BUSY' });
    const loginBody = problemBody(loginRoute);
    const tokenBody = JSON.stringify({ error: 'temporarily_unavailable', error_description: DETAIL });
    const refuse = (reply: FastifyReply, type: string, body: string, route: string) => {
      this.shed.inc({ route });
      return reply.code(503).header('Retry-After', RETRY_AFTER_SECONDS).header('Cache-Control', 'no-store').type(type).send(body);
    };
    fastify.addHook('preValidation', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      if (request.method !== 'POST' || !this.hasher.saturated()) return done();
      const route = request.routeOptions.url;
      if (route === loginRoute) return refuse(reply, PROBLEM_CONTENT_TYPE, loginBody, 'login');
      if (route === tokenRoute && (request.body as { grant_type?: unknown } | undefined)?.grant_type === 'password') {
        return refuse(reply, 'application/json; charset=utf-8', tokenBody, 'token');
      }
      done();
    });
  }
}
