import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { components } from '../schema.js';

/** A task as the REST API answers it. */
export type Task = components['schemas']['TaskResponse'];
export type FieldChange = components['schemas']['FieldChangeResponse'];

/** The payload of every task event: `{ eventId, task, changes?, by, at }`. */
export interface TaskEventPayload {
  /** Monotonic; what `resume` takes. */
  eventId: number;
  task: Task;
  changes?: FieldChange[];
  /** The user who made the change (null: the system). */
  by: string | null;
  at: string;
}

export const TASK_EVENT_TYPES = ['task.created', 'task.updated', 'task.status_changed', 'task.deleted'] as const;
export type TaskEventType = (typeof TASK_EVENT_TYPES)[number];

export interface ResumeAck {
  replayed?: number;
  /** False when more events were missed than one replay sends: reload the list instead. */
  complete?: boolean;
  error?: string;
}

export interface ServerToClientEvents {
  'task.created': (payload: TaskEventPayload) => void;
  'task.updated': (payload: TaskEventPayload) => void;
  'task.status_changed': (payload: TaskEventPayload) => void;
  'task.deleted': (payload: TaskEventPayload) => void;
}
export interface ClientToServerEvents {
  resume: (body: { since: number }, ack: (answer: ResumeAck) => void) => void;
}
export type TaskSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TaskEventsOptions {
  /** Where the service is (as for createIdentityClient). */
  baseUrl: string;
  /** Supplies a valid access token at every (re)connection — `() => client.auth.getAccessToken()`. */
  getAccessToken: () => Promise<string | null> | string | null;
  /** Resume after this event id on the first connection too (e.g. one kept from an earlier page). */
  since?: number;
  /** Called after each resume with the server's answer (`complete: false`: reload the list). */
  onResume?: (ack: ResumeAck) => void;
  /** More Socket.IO client options (transports, reconnection delays …). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

export interface TaskEvents {
  socket: TaskSocket;
  /** The newest event id received (what the next `resume` sends). */
  readonly lastEventId: number | undefined;
  /** Listens to one event type, or to all with `'*'`; returns the unsubscribe function. */
  on(type: TaskEventType | '*', listener: (payload: TaskEventPayload, type: TaskEventType) => void): () => void;
  close(): void;
}

/**
 * The live task feed (Socket.IO, path `/ws`, namespace `/tasks`), typed. The access token is fetched
 * anew for every connection attempt, and the feed reconnects when the service closes it because its
 * token expired; after a reconnection it sends `resume { since }` with the last event id it saw, so
 * nothing that happened while it was away is missed.
 * Needs the optional peer dependency `socket.io-client`.
 */
export function connectTaskEvents(options: TaskEventsOptions): TaskEvents {
  let lastEventId = options.since;
  const listeners = new Map<TaskEventType | '*', Set<(payload: TaskEventPayload, type: TaskEventType) => void>>();
  const socket: TaskSocket = io(`${options.baseUrl.replace(/\/+$/, '')}/tasks`, {
    path: '/ws',
    transports: ['websocket'],
    ...options.socketOptions,
    auth: (callback: (data: object) => void) => {
      Promise.resolve(options.getAccessToken()).then(
        (token) => callback(token ? { token } : {}),
        () => callback({}),
      );
    },
  });
  for (const type of TASK_EVENT_TYPES) {
    socket.on(type, (payload: TaskEventPayload) => {
      if (typeof payload?.eventId === 'number' && (lastEventId === undefined || payload.eventId > lastEventId)) lastEventId = payload.eventId;
      for (const listener of [...(listeners.get(type) ?? []), ...(listeners.get('*') ?? [])]) listener(payload, type);
    });
  }
  socket.on('connect', () => {
    if (lastEventId === undefined) return;
    socket.emit('resume', { since: lastEventId }, (ack: ResumeAck) => options.onResume?.(ack));
  });
  // The service closes a socket when its access token expires (and when the session ends). Socket.IO
  // does not reconnect after a server-side disconnect by itself: connect again with a fresh token (a
  // session that ended is refused at the handshake, and that is where it stops).
  let closed = false;
  socket.on('disconnect', (reason) => {
    if (reason === 'io server disconnect' && !closed) socket.connect();
  });
  return {
    socket,
    get lastEventId() {
      return lastEventId;
    },
    on(type, listener) {
      let set = listeners.get(type);
      if (!set) listeners.set(type, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    close: () => {
      closed = true;
      socket.close();
    },
  };
}
