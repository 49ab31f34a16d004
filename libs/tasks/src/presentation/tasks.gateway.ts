import { Inject, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConnectedSocket, MessageBody, OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import type { Counter } from 'prom-client';
import { Actor, can } from '@app/access';
import { AccessTokens, Revocation, RevocationList } from '@app/auth';
import { Clock, DomainError, MetricsService, Public, tasksConfig, TasksSettings } from '@app/core';
import { ReplayEventsUseCase } from '../application/replay-events.use-case';
import { canReadTasks } from '../domain/task';
import { TaskEvent } from '../domain/task-event';
import { TaskEventFeed } from '../infrastructure/task-event-feed';
import { toTaskEventMessage } from './task.response';

/** Sockets of users holding `tasks:read:any` (they receive every event). */
export const EVERY_TASK_ROOM = 'tasks:any';
export const userRoom = (userId: string) => `user:${userId}`;

interface SocketState {
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
 * access token, verified without a query; sockets join their user's room (and the every-task room
 * with `tasks:read:any`); the event log's feed decides who gets each event. A socket is disconnected
 * when its session or user is revoked, or when its token expires. Client messages are rate-limited
 * per socket (size is capped by the adapter's `maxHttpBufferSize`).
 */
@WebSocketGateway({ path: '/ws', namespace: '/tasks' })
// The HTTP access guard is global and would run on every message; sockets are authenticated once,
// at the handshake (below), and dropped when that authentication is revoked.
@Public()
export class TasksGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger('TasksGateway');
  private namespace?: Namespace;
  private readonly bySession = new Map<string, Set<Socket>>();
  private readonly byUser = new Map<string, Set<Socket>>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly dropped: Counter<'reason'>;
  private readonly delivered: Counter<'type'>;

  constructor(
    private readonly tokens: AccessTokens,
    private readonly revocations: RevocationList,
    private readonly feed: TaskEventFeed,
    private readonly replay: ReplayEventsUseCase,
    private readonly clock: Clock,
    @Inject(tasksConfig.KEY) private readonly config: TasksSettings,
    metrics: MetricsService,
  ) {
    this.dropped = metrics.counter('ws_messages_dropped_total', 'Client Socket.IO messages dropped', ['reason']);
    this.delivered = metrics.counter('task_events_broadcast_total', 'Task events broadcast to sockets by this instance', ['type']);
  }

  afterInit(namespace: Namespace): void {
    this.namespace = namespace;
    namespace.use((socket, next) => {
      try {
        const actor = this.tokens.verify(tokenOf(socket) ?? '');
        if (!canReadTasks(actor)) return next(new Error('forbidden'));
        socket.data.state = { actor, window: { start: this.clock.nowMs(), count: 0 } } satisfies SocketState;
        next();
      } catch {
        next(new Error('unauthorized'));
      }
    });
    this.unsubscribe.push(this.revocations.onRevoked((r) => this.revoked(r)));
    this.unsubscribe.push(this.feed.subscribe((e) => this.broadcast(e)));
  }

  handleConnection(socket: Socket): void {
    const state = socket.data.state as SocketState | undefined;
    if (!state) return void socket.disconnect(true);
    const { actor } = state;
    // Revoked between the handshake check and now (e.g. a logout racing the connection).
    if (this.revocations.isRevoked(actor.sessionId, actor.userId, actor.issuedAt)) return void socket.disconnect(true);
    if (can(actor, 'tasks:read:any')) void socket.join(EVERY_TASK_ROOM);
    if (can(actor, 'tasks:read:own')) void socket.join(userRoom(actor.userId));
    add(this.bySession, actor.sessionId, socket);
    add(this.byUser, actor.userId, socket);
    state.expiry = setTimeout(() => socket.disconnect(true), Math.max(0, actor.expiresAt * 1000 - this.clock.nowMs()));
    state.expiry.unref();
    socket.use((_packet, next) => {
      if (this.allow(state)) return next();
      this.dropped.inc({ reason: 'rate_limited' });
    });
  }

  handleDisconnect(socket: Socket): void {
    const state = socket.data.state as SocketState | undefined;
    if (!state) return;
    if (state.expiry) clearTimeout(state.expiry);
    remove(this.bySession, state.actor.sessionId, socket);
    remove(this.byUser, state.actor.userId, socket);
  }

  /** `resume { since }`: replays the caller's missed events (in order) before acknowledging. */
  @SubscribeMessage('resume')
  async resume(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<ResumeAck> {
    const state = socket.data.state as SocketState;
    const since = (body as { since?: unknown } | null)?.since;
    if (typeof since !== 'number' || !Number.isSafeInteger(since) || since < 0) return { error: 'since must be a non-negative integer event id' };
    try {
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
    if (!this.namespace) return;
    this.namespace.to([EVERY_TASK_ROOM, ...event.audience.map(userRoom)]).emit(event.type, toTaskEventMessage(event));
    this.delivered.inc({ type: event.type });
  }

  private revoked(r: Revocation): void {
    const sockets = r.kind === 'session' ? this.bySession.get(r.id) : this.byUser.get(r.id);
    for (const socket of [...(sockets ?? [])]) {
      const state = socket.data.state as SocketState;
      if (r.kind === 'session' || state.actor.issuedAt < r.notBefore) socket.disconnect(true);
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
