import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { EntityManager } from 'typeorm';
import { ProcessRole } from '@app/core';
import { DatabaseServer } from './database-server';

type Handler = (payload: string) => void;

/**
 * Postgres LISTEN/NOTIFY for cross-instance signals (revocations, role changes, task events): one
 * dedicated connection per instance, reconnected with backoff. After a reconnect, `onResync`
 * handlers run so that state fed by notifications is reloaded — nothing sent while disconnected is
 * lost.
 */
@Injectable()
export class PgListener implements OnApplicationShutdown {
  private readonly logger = new Logger('PgListener');
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly resyncHandlers = new Set<() => Promise<void> | void>();
  private client?: Client;
  private connecting?: Promise<void>;
  private closed = false;
  private retryTimer?: NodeJS.Timeout;
  private attempt = 0;

  constructor(
    private readonly server: DatabaseServer,
    private readonly role: ProcessRole,
  ) {}

  /**
   * Subscribes to a channel; resolves once LISTEN is in effect. In a one-shot command (the CLI) there
   * is nothing to keep in step: no connection is opened and no handler is kept.
   */
  async listen(channel: string, handler: Handler): Promise<void> {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad channel name ${channel}`);
    if (!this.role.longRunning) return;
    let set = this.handlers.get(channel);
    const isNew = !set;
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(handler);
    await this.ensureConnected();
    if (isNew && this.client) await this.client.query(`LISTEN ${channel}`);
  }

  /** Runs after every reconnect (not on the first connection). */
  onResync(handler: () => Promise<void> | void): void {
    this.resyncHandlers.add(handler);
  }

  /** Sends a notification inside the given transaction: delivered to every instance on commit. */
  static async notify(manager: EntityManager, channel: string, payload: unknown): Promise<void> {
    await manager.query('SELECT pg_notify($1, $2)', [channel, typeof payload === 'string' ? payload : JSON.stringify(payload)]);
  }

  private ensureConnected(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: await this.server.url(), application_name: 'its-listener', keepAlive: true });
    client.on('notification', (msg) => {
      for (const handler of this.handlers.get(msg.channel) ?? []) {
        try {
          handler(msg.payload ?? '');
        } catch (error) {
          this.logger.error(`handler for ${msg.channel} failed: ${String(error)}`);
        }
      }
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    await client.connect();
    for (const channel of this.handlers.keys()) await client.query(`LISTEN ${channel}`);
    const reconnected = this.attempt > 0;
    this.client = client;
    this.attempt = 0;
    if (reconnected) {
      this.logger.log('Reconnected; resynchronising');
      for (const handler of this.resyncHandlers) await handler();
    }
  }

  private lost(client: Client, error?: Error): void {
    if (this.client !== client || this.closed) return;
    this.client = undefined;
    this.logger.warn(`Listener connection lost${error ? `: ${error.message}` : ''}; reconnecting`);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    this.attempt += 1;
    const delay = Math.min(10_000, 100 * 2 ** Math.min(this.attempt, 7));
    this.retryTimer = setTimeout(() => {
      this.ensureConnected().catch((error: unknown) => {
        this.logger.warn(`Reconnect failed: ${String(error)}`);
        this.scheduleReconnect();
      });
    }, delay);
    this.retryTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
