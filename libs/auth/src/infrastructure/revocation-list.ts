import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { authConfig, AuthSettings, Clock } from '@app/core';
import { PgListener, UnitOfWork } from '@app/persistence';
import { Revocation, RevocationListener, Revocations } from '../domain/ports';
import { RevocationEntity } from './entities';

export const REVOCATION_CHANNEL = 'auth_revoked';

interface Notice {
  k: 'session' | 'user';
  id: string;
  /** not-before, epoch seconds */
  nb: number;
  /** entry expiry, epoch ms */
  exp: number;
}

/**
 * Which sessions and users are revoked, in memory on every instance: checking a token costs a map
 * lookup, never a query. Loaded at start-up, fed by LISTEN/NOTIFY (and applied locally on commit, so
 * the instance that revoked sees it before the HTTP response is sent), reloaded after a reconnect.
 */
@Injectable()
export class RevocationList extends Revocations implements OnApplicationBootstrap {
  private readonly logger = new Logger('RevocationList');
  private sessions = new Map<string, number>();
  private users = new Map<string, { notBefore: number; exp: number }>();
  private lastPrune = 0;
  private readonly listeners = new Set<RevocationListener>();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly listener: PgListener,
    private readonly clock: Clock,
    @Inject(authConfig.KEY) private readonly config: AuthSettings,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.listen(REVOCATION_CHANNEL, (payload) => {
      try {
        this.apply(JSON.parse(payload) as Notice);
      } catch {
        this.logger.warn('Ignoring a malformed revocation notice');
      }
    });
    this.listener.onResync(() => this.load());
    await this.load();
  }

  /** Whether a token with this session, subject and issue time (epoch seconds) is revoked. */
  isRevoked(sessionId: string, userId: string, issuedAt: number): boolean {
    const now = this.clock.nowMs();
    if (now - this.lastPrune > 60_000) this.prune(now);
    if (this.sessions.has(sessionId)) return true;
    const user = this.users.get(userId);
    return user !== undefined && issuedAt < user.notBefore;
  }

  /**
   * Calls `listener` whenever a revocation takes effect on this instance (from this instance's own
   * commit, a notification from another one, or a reload after a reconnect). Returns an unsubscribe.
   */
  onRevoked(listener: RevocationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(revocation: Revocation): void {
    for (const listener of this.listeners) {
      try {
        listener(revocation);
      } catch (error) {
        this.logger.error(`revocation listener failed: ${String(error)}`);
      }
    }
  }

  /**
   * Records revocations in the current unit of work; every instance (this one included) applies them
   * as soon as the transaction commits.
   */
  async revoke(kind: 'session' | 'user', ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const now = this.clock.nowMs();
    // Any access token issued up to now expires within its lifetime (+ verification leeway).
    const exp = now + (this.config.accessTokenTtl + 60) * 1000;
    // Tokens issued in this very second are refused too; `iat` has one-second resolution.
    const nb = Math.floor(now / 1000) + 1;
    await this.uow.repository(RevocationEntity).insert(
      ids.map((id) => ({ kind, subjectId: id, notBefore: new Date(nb * 1000), expiresAt: new Date(exp) })),
    );
    const notices: Notice[] = ids.map((id) => ({ k: kind, id, nb, exp }));
    for (const notice of notices) await PgListener.notify(this.uow.manager, REVOCATION_CHANNEL, notice);
    await this.uow.afterCommit(() => notices.forEach((n) => this.apply(n)));
  }

  private apply(n: Notice): void {
    if (n.exp <= this.clock.nowMs()) return;
    if (n.k === 'session') this.sessions.set(n.id, n.exp);
    else {
      const current = this.users.get(n.id);
      if (!current || current.notBefore < n.nb) this.users.set(n.id, { notBefore: n.nb, exp: n.exp });
    }
    this.emit({ kind: n.k, id: n.id, notBefore: n.nb });
  }

  private async load(): Promise<void> {
    const rows = await this.uow.manager
      .getRepository(RevocationEntity)
      .createQueryBuilder('r')
      .where('r.expires_at > :now', { now: this.clock.now() })
      .getMany();
    const sessions = new Map<string, number>();
    const users = new Map<string, { notBefore: number; exp: number }>();
    for (const r of rows) {
      const exp = r.expiresAt.getTime();
      if (r.kind === 'session') sessions.set(r.subjectId, exp);
      else {
        const nb = Math.floor(r.notBefore.getTime() / 1000);
        const current = users.get(r.subjectId);
        if (!current || current.notBefore < nb) users.set(r.subjectId, { notBefore: nb, exp });
      }
    }
    // Keep anything applied while loading (a notice that raced the query).
    for (const [id, exp] of this.sessions) if (!sessions.has(id)) sessions.set(id, exp);
    for (const [id, entry] of this.users) if (!users.has(id)) users.set(id, entry);
    const fresh: Revocation[] = [];
    for (const id of sessions.keys()) if (!this.sessions.has(id)) fresh.push({ kind: 'session', id, notBefore: 0 });
    for (const [id, entry] of users) if (this.users.get(id)?.notBefore !== entry.notBefore) fresh.push({ kind: 'user', id, notBefore: entry.notBefore });
    this.sessions = sessions;
    this.users = users;
    fresh.forEach((r) => this.emit(r));
    this.logger.log(`Loaded ${sessions.size} revoked sessions and ${users.size} revoked users`);
  }

  private prune(now: number): void {
    this.lastPrune = now;
    for (const [id, exp] of this.sessions) if (exp <= now) this.sessions.delete(id);
    for (const [id, entry] of this.users) if (entry.exp <= now) this.users.delete(id);
  }

  get size(): { sessions: number; users: number } {
    return { sessions: this.sessions.size, users: this.users.size };
  }
}
