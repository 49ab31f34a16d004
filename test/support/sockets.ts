import { io, Socket } from 'socket.io-client';
import type { TestApp } from './test-app';

export const TASK_EVENTS = ['task.created', 'task.updated', 'task.status_changed', 'task.deleted'] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Received = { type: string; payload: any };

/** A Socket.IO client of the `/tasks` namespace that records every task event it receives. */
export interface TaskSocket {
  socket: Socket;
  received: Received[];
  /** Resolves with the first recorded (or future) event matching, or rejects after `ms`. */
  waitFor(match: (e: Received) => boolean, ms?: number): Promise<Received>;
  close(): void;
}

export interface ConnectOptions {
  token?: string;
  headers?: Record<string, string>;
}

function open(t: TestApp, options: ConnectOptions): Socket {
  return io(`${t.baseUrl}/tasks`, {
    path: '/ws',
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: options.token === undefined ? {} : { token: options.token },
    extraHeaders: options.headers,
  });
}

/** Connects and resolves once connected; rejects with the `connect_error`. */
export function connectTasks(t: TestApp, options: ConnectOptions): Promise<TaskSocket> {
  const socket = open(t, options);
  const received: Received[] = [];
  const waiters = new Set<(e: Received) => void>();
  for (const type of TASK_EVENTS) {
    socket.on(type, (payload) => {
      const e = { type, payload };
      received.push(e);
      waiters.forEach((w) => w(e));
    });
  }
  const handle: TaskSocket = {
    socket,
    received,
    waitFor: (match, ms = 5000) =>
      new Promise((resolve, reject) => {
        const found = received.find(match);
        if (found) return resolve(found);
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching event within ${ms} ms; got ${JSON.stringify(received.map((r) => r.type))}`));
        }, ms);
        const waiter = (e: Received) => {
          if (!match(e)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(e);
        };
        waiters.add(waiter);
      }),
    close: () => socket.close(),
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(handle));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** The `connect_error` message of a refused handshake (fails if the connection is accepted). */
export async function refusal(t: TestApp, options: ConnectOptions): Promise<string> {
  try {
    const s = await connectTasks(t, options);
    s.close();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the connection was accepted');
}

/** Resolves with the disconnect reason, or rejects after `ms`. */
export function disconnected(socket: Socket, ms = 5000): Promise<string> {
  if (socket.disconnected) return Promise.resolve('already disconnected');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still connected after ${ms} ms`)), ms);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}
