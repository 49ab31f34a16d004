import { Inject, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConnectedSocket, MessageBody, OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import type { Counter } from 'prom-client';
import { AccessCatalog, AccessChange, RoleAssignments } from '@app/access';
import { Actor, can } from '@app/kernel';
import { AccessTokens, Revocation, Revocations } from '@app/auth';
import { Clock, DomainError, MetricsService, Public, tasksConfig, TasksSettings } from '@app/core';
import { PgListener } from '@app/persistence';
import { ReplayEventsUseCase } from '../application/replay-events.use-case';
import { TaskEventStream } from '../domain/ports';
import { canReadTasks } from '../domain/task';
import { TaskEvent } from '../domain/task-event';
import { toTaskEventMessage } from './task.response';

/** Sockets of users holding `tasks:read:any` (they receive every event). */
export const EVERY_TASK_ROOM = 'tasks:any';
export const userRoom = (userId: string) => `user:${userId}`;

/** `connect_error` message of a handshake beyond `WS_MAX_SOCKETS_PER_USER`. */
export const TOO_MANY_SOCKETS = 'too many sockets';

interface SocketState {
  /** The verified access token as presented at the handshake. */
  token: Actor;
  /** The roles the user holds now (for the token's application), re-read when they change. */
  held: readonly string[];
  /** What the socket may do now: the token's roles that the user still holds, as the catalogue grants them today. */
  actor: Actor;
  expiry?: NodeJS.Timeout;
  window: { start: number; count: number };
}

export interface ResumeAck {
  replayed?: number;
  /** False when more events were missed than one replay sends: reload the list instead. */
  complete?: boolean;
  error?: string;
}

/**
 * Real-time task events over Socket.IO (path `/ws`, namespace `/tasks`). The handshake carries an
 * access token, verified without a query, and reads the roles the user holds now (one query);
 * sockets join their user's room (and the every-task room with `tasks:read:any`); the event log's
 * feed decides who gets each event. A socket is disconnected
 * when its session or user is revoked, its application deactivated, or its token expires. What an
 * open socket may receive follows access changes on every instance: when a role is deactivated or
 * its permissions edited, or the user's roles change, its actor and rooms are re-evaluated before
 * the next event is sent. Client messages are rate-limited per socket (size is capped by the
 * adapter's `maxHttpBufferSize`), and each user may hold `WS_MAX_SOCKETS_PER_USER` sockets per
 * instance.
 */
@WebSocketGateway({ path: '/ws', namespace: '/tasks' })
// The HTTP access guard is global and would run on every message; sockets are authenticated once,
// at the handshake (below), and dropped when that authentication is revoked.
@Public()
export class TasksGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger('TasksGateway');
  private namespace?: Namespace;
  private readonly bySession = new Map<string, Set<Socket>>();
  /** Every socket of a user from its handshake on (the per-user cap counts these). */
  private readonly byUser = new Map<string, Set<Socket>>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly dropped: Counter<'reason'>;
  private readonly delivered: Counter<'type'>;
  private readonly refused: Counter<'reason'>;
  /**
   * Access re-evaluations and broadcasts, in the order their notifications arrived: an event
   * committed after an access change is sent only once the sockets follow that change.
   */
  private gate: Promise<void> = Promise.resolve();

  constructor(
    private readonly tokens: AccessTokens,
    private readonly revocations: Revocations,
    private readonly catalog: AccessCatalog,
    private readonly assignments: RoleAssignments,
    private readonly listener: PgListener,
    private readonly feed: TaskEventStream,
    private readonly replay: ReplayEventsUseCase,
    private readonly clock: Clock,
    @Inject(tasksConfig.KEY) private readonly config: TasksSettings,
    metrics: MetricsService,
  ) {
    this.dropped = metrics.counter('ws_messages_dropped_total', 'Client Socket.IO messages dropped', ['reason']);
    this.delivered = metrics.counter('task_events_broadcast_total', 'Task events broadcast to sockets by this instance', ['type']);
    this.refused = metrics.counter('ws_handshakes_refused_total', 'Socket.IO handshakes refused by the tasks namespace', ['reason']);
  }

  afterInit(namespace: Namespace): void {
    this.namespace = namespace;
    namespace.use((socket, next) => {
      this.handshake(socket).then(
        () => next(),
        (error: Error) => {
          this.forget(socket);
          this.refused.inc({ reason: error.message === TOO_MANY_SOCKETS ? 'too_many_sockets' : error.message });
          next(error);
          // The client is told why (Socket.IO writes the error on the next tick); the connection
          // is then closed rather than held until the connect timeout.
          setImmediate(() => socket.conn.close());
        },
      );
    });
    this.unsubscribe.push(this.revocations.onRevoked((r) => this.revoked(r)));
    this.unsubscribe.push(this.catalog.onChange((change) => this.accessChanged(change)));
    this.unsubscribe.push(this.feed.subscribe((e) => this.broadcast(e)));
    // Notices of role assignments sent while the listener connection was down are lost: re-read them all.
    this.listener.onResync(() => this.serialize(() => this.reloadHeld([...this.byUser.keys()])));
  }

  /** Verifies the token, applies the per-user cap, and builds the socket's actor from what the user holds now. */
  private async handshake(socket: Socket): Promise<void> {
    let token: Actor;
    try {
      token = await this.tokens.verify(tokenOf(socket) ?? '');
    } catch {
      throw new Error('unauthorized');
    }
    const mine = this.byUser.get(token.userId);
    const max = this.config.wsMaxSocketsPerUser;
    if ((mine?.size ?? 0) >= max) {
      throw Object.assign(new Error(TOO_MANY_SOCKETS), { data: { code: 'TOO_MANY_SOCKETS', limit: max, detail: `At most ${max} sockets per user` } });
    }
    // Counted from now on, so that concurrent handshakes cannot overshoot the cap.
    socket.data.userId = token.userId;
    add(this.byUser, token.userId, socket);
    socket.conn.once('close', () => this.forget(socket));
    const held = await this.heldRoles(token);
    const state: SocketState = { token, held, actor: effectiveActor(token, held, this.catalog), window: { start: this.clock.nowMs(), count: 0 } };
    if (!canReadTasks(state.actor)) throw new Error('forbidden');
    socket.data.state = state;
  }

  handleConnection(socket: Socket): void {
    const state = socket.data.state as SocketState | undefined;
    if (!state) return void socket.disconnect(true);
    const { token } = state;
    // Revoked or changed between the handshake check and now (e.g. a logout racing the connection).
    if (!this.stillValid(state)) return void socket.disconnect(true);
    add(this.bySession, token.sessionId, socket);
    state.actor = effectiveActor(token, state.held, this.catalog);
    this.applyRooms(socket, state);
    state.expiry = setTimeout(() => socket.disconnect(true), Math.max(0, token.expiresAt * 1000 - this.clock.nowMs()));
    state.expiry.unref();
    socket.use((_packet, next) => {
      if (this.allow(state)) return next();
      this.dropped.inc({ reason: 'rate_limited' });
    });
  }

  handleDisconnect(socket: Socket): void {
    this.forget(socket);
  }

  /** `resume { since }`: replays the caller's missed events (in order) before acknowledging. */
  @SubscribeMessage('resume')
  async resume(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<ResumeAck> {
    const state = socket.data.state as SocketState;
    const since = (body as { since?: unknown } | null)?.since;
    if (typeof since !== 'number' || !Number.isSafeInteger(since) || since < 0) return { error: 'since must be a non-negative integer event id' };
    try {
      // Rights as they are now: pending access changes are applied first.
      await this.serialize(() => this.catalog.settled());
      if (!this.stillValid(state)) {
        socket.disconnect(true);
        return { error: 'unauthorized' };
      }
      const { events, complete } = await this.replay.execute(state.actor, since);
      for (const event of events) socket.emit(event.type, toTaskEventMessage(event));
      return { replayed: events.length, complete };
    } catch (error) {
      if (error instanceof DomainError) return { error: error.code };
      this.logger.error(`resume failed: ${String(error)}`);
      return { error: 'INTERNAL' };
    }
  }

  /** Sends an event to its owner, assignees (before and after) and `tasks:read:any` holders. */
  broadcast(event: TaskEvent): void {
    void this.serialize(async () => {
      // A catalogue reload under way (a role deactivated just before this event) is waited for.
      await this.catalog.settled();
      if (!this.namespace) return;
      this.namespace.to([EVERY_TASK_ROOM, ...event.audience.map(userRoom)]).emit(event.type, toTaskEventMessage(event));
      this.delivered.inc({ type: event.type });
    });
  }

  private accessChanged(change: AccessChange): void {
    if (change.kind === 'catalog') {
      // Runs as soon as the new catalogue is in effect, before any broadcast waiting for it.
      for (const sockets of this.byUser.values()) for (const socket of sockets) this.reevaluate(socket);
      return;
    }
    if (this.byUser.has(change.userId)) void this.serialize(() => this.reloadHeld([change.userId]));
  }

  /** Re-reads the roles these users hold, then re-evaluates their sockets. */
  private async reloadHeld(userIds: string[]): Promise<void> {
    for (const userId of userIds) {
      const sockets = [...(this.byUser.get(userId) ?? [])];
      const byClient = new Map<string, Promise<readonly string[]>>();
      for (const socket of sockets) {
        const state = socket.data.state as SocketState | undefined;
        if (!state) continue;
        let held = byClient.get(state.token.clientId);
        if (!held) byClient.set(state.token.clientId, (held = this.heldRoles(state.token)));
        state.held = await held;
        this.reevaluate(socket);
      }
    }
  }

  private async heldRoles(token: Actor): Promise<readonly string[]> {
    const app = this.catalog.application(token.clientId);
    return app ? this.assignments.roleNamesFor(token.userId, app.id) : [];
  }

  /** Recomputes a connected socket's actor and rooms; disconnects it when its token no longer holds. */
  private reevaluate(socket: Socket): void {
    const state = socket.data.state as SocketState | undefined;
    if (!state || !socket.connected) return;
    if (!this.stillValid(state)) return void socket.disconnect(true);
    state.actor = effectiveActor(state.token, state.held, this.catalog);
    this.applyRooms(socket, state);
  }

  private applyRooms(socket: Socket, state: SocketState): void {
    const { actor } = state;
    if (can(actor, 'tasks:read:any')) void socket.join(EVERY_TASK_ROOM);
    else void socket.leave(EVERY_TASK_ROOM);
    if (can(actor, 'tasks:read:own')) void socket.join(userRoom(actor.userId));
    else void socket.leave(userRoom(actor.userId));
  }

  /** The token's application is still active and its session and user are not revoked. */
  private stillValid(state: SocketState): boolean {
    const { token } = state;
    const app = this.catalog.application(token.clientId);
    return !!app?.active && !this.revocations.isRevoked(token.sessionId, token.userId, token.issuedAt);
  }

  private serialize(work: () => Promise<void> | void): Promise<void> {
    const next = this.gate.then(work);
    this.gate = next.catch((error: unknown) => this.logger.error(`socket access update failed: ${String(error)}`));
    return next;
  }

  private forget(socket: Socket): void {
    const state = socket.data.state as SocketState | undefined;
    if (state?.expiry) clearTimeout(state.expiry);
    const userId = socket.data.userId as string | undefined;
    if (userId) remove(this.byUser, userId, socket);
    if (state) remove(this.bySession, state.token.sessionId, socket);
  }

  private revoked(r: Revocation): void {
    const sockets = r.kind === 'session' ? this.bySession.get(r.id) : this.byUser.get(r.id);
    for (const socket of [...(sockets ?? [])]) {
      const state = socket.data.state as SocketState | undefined;
      if (!state) continue;
      if (r.kind === 'session' || state.token.issuedAt < r.notBefore) socket.disconnect(true);
    }
  }

  /** Fixed one-minute window per socket. */
  private allow(state: SocketState): boolean {
    const now = this.clock.nowMs();
    if (now - state.window.start >= 60_000) state.window = { start: now, count: 0 };
    state.window.count += 1;
    return state.window.count <= this.config.wsRateLimitPerMinute;
  }

  onModuleDestroy(): void {
    this.unsubscribe.forEach((u) => u());
  }
}

/**
 * The token's roles that the user still holds, with the permissions the catalogue grants them now
 * (an inactive role grants nothing). Never more than the token carries: a role granted since comes
 * with the next token.
 */
function effectiveActor(token: Actor, held: readonly string[], catalog: AccessCatalog): Actor {
  const holding = new Set(held.map((r) => r.toLowerCase()));
  const roles = token.roles.filter((r) => holding.has(r.toLowerCase()));
  return { ...token, roles, permissions: catalog.permissionsOf(roles, token.clientId) };
}

function tokenOf(socket: Socket): string | undefined {
  const auth = socket.handshake.auth as { token?: unknown } | undefined;
  if (typeof auth?.token === 'string') return auth.token;
  const header = socket.handshake.headers.authorization;
  const m = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return m?.[1];
}

function add(map: Map<string, Set<Socket>>, key: string, socket: Socket): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(socket);
}

function remove(map: Map<string, Set<Socket>>, key: string, socket: Socket): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(socket);
  if (set.size === 0) map.delete(key);
}
