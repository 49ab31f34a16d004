import { Injectable } from '@nestjs/common';
import { AuditLog } from '@app/audit';
import { Page, toPage } from '@app/kernel';
import { UnitOfWork } from '@app/persistence';
import { type Actor, auditActorId } from '@app/kernel';
import { normalizeRedirectUris } from '../domain/redirect-uris';
import { Application, ApplicationNotFoundError, ApplicationRepository, DefaultApplicationProtectedError } from '../domain/roles';
import { AccessChanges } from './access-changes';
import { CREATED_CURSOR } from './list-cursor';
import type { AuditContext } from './roles.use-cases';

/**
 * Applications (clients): a `clientId` at login selects the token audience and the roles that count.
 * Deleting one deletes its roles (and so their assignments); the default application stays.
 */
@Injectable()
export class ApplicationsUseCases {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly apps: ApplicationRepository,
    private readonly changes: AccessChanges,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Applications oldest first (the default one, made first, leads), one page at a time. An application
   * admin holding `applications:write` through its application's roles sees that application only.
   */
  async list(actor: Actor, filter: { limit: number; cursor?: string }): Promise<Page<Application>> {
    const scope = this.changes.scope(actor, 'applications:write');
    const position = CREATED_CURSOR.decodeOptional(filter.cursor);
    const rows = await this.apps.list({
      ids: scope.global ? undefined : [...scope.applicationIds],
      limit: filter.limit + 1,
      after: position && { createdAt: position[0], id: position[1] },
    });
    const page = toPage(rows, filter.limit, CREATED_CURSOR, (last) => [last.cursorAt, last.id] as const);
    return { items: page.items.map(({ cursorAt: _, ...app }) => app), nextCursor: page.nextCursor };
  }

  async get(actor: Actor, id: string): Promise<Application> {
    const app = await this.apps.findById(id);
    if (!app) throw new ApplicationNotFoundError();
    this.changes.assertInScope(actor, 'applications:write', app.id);
    return app;
  }

  /** Creating and deleting applications needs `applications:write` from a global role. */
  async create(actor: Actor, ctx: AuditContext, input: { clientId: string; name: string; active?: boolean; redirectUris?: string[] }): Promise<Application> {
    this.changes.assertInScope(actor, 'applications:write', null);
    return this.uow.run(async () => {
      const app = await this.apps.create({ clientId: input.clientId, name: input.name, active: input.active ?? true, redirectUris: normalizeRedirectUris(input.redirectUris ?? []) });
      await this.audit.record({ type: 'application.created', actorId: auditActorId(actor), subjectId: app.id, ...ctx, data: { clientId: app.clientId } });
      await this.changes.announce();
      return app;
    });
  }

  /** Deactivating an application refuses new logins for it and ends the refresh of its sessions. */
  async update(actor: Actor, ctx: AuditContext, id: string, changes: { name?: string; active?: boolean; redirectUris?: string[] }): Promise<Application> {
    return this.uow.run(async () => {
      const app = await this.get(actor, id);
      if (app.isDefault && changes.active === false) throw new DefaultApplicationProtectedError();
      if (changes.redirectUris) changes = { ...changes, redirectUris: normalizeRedirectUris(changes.redirectUris) };
      const saved = await this.apps.update(id, changes);
      await this.audit.record({ type: 'application.updated', actorId: auditActorId(actor), subjectId: id, ...ctx, data: { clientId: app.clientId, ...changes, ...(actor.system ? { via: 'cli' } : {}) } });
      await this.changes.announce();
      return saved;
    });
  }

  async delete(actor: Actor, ctx: AuditContext, id: string): Promise<void> {
    await this.uow.run(async () => {
      const app = await this.get(actor, id);
      this.changes.assertInScope(actor, 'applications:write', null);
      if (app.isDefault) throw new DefaultApplicationProtectedError();
      await this.apps.delete(id);
      await this.audit.record({ type: 'application.deleted', actorId: auditActorId(actor), subjectId: id, ...ctx, data: { clientId: app.clientId } });
      await this.changes.announce();
    });
  }
}
