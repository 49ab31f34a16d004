import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PgListener, UnitOfWork } from '@app/persistence';
import { AccessCatalog, AccessChange, ApplicationView, RoleView } from '../domain/catalog';
import type { AccessScope } from '../domain/roles';
import { RoleIndex } from '../domain/role-index';
import { ALL_PERMISSIONS, isPermission, Permission, SYSTEM_ROLES } from '@app/kernel';
import { ApplicationEntity } from './application.entity';
import { RoleEntity } from './role.entity';

export const ACCESS_CHANNEL = 'access_changed';
/** Payload: the id of a user whose role assignments changed. */
export const USER_ROLES_CHANNEL = 'user_roles_changed';

/**
 * Loads every role and application (small tables) into memory at start-up and again whenever any
 * instance commits a change (LISTEN/NOTIFY on `access_changed`), so authorisation never queries.
 */
@Injectable()
export class TypeormAccessCatalog extends AccessCatalog implements OnApplicationBootstrap {
  private readonly logger = new Logger('AccessCatalog');
  private index = new RoleIndex([], []);
  private appsByClientId = new Map<string, ApplicationView>();
  private appsById = new Map<string, ApplicationView>();
  private defaultApp?: ApplicationView;
  private loading?: Promise<void>;
  private stale = false;
  private readonly listeners = new Set<(change: AccessChange) => void>();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly listener: PgListener,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    await this.listener.listen(ACCESS_CHANNEL, () => void this.refresh().catch((e: unknown) => this.logger.error(String(e))));
    this.listener.onResync(() => this.refresh());
    await this.listener.listen(USER_ROLES_CHANNEL, (userId) => this.emit({ kind: 'user-roles', userId }));
  }

  onChange(listener: (change: AccessChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async settled(): Promise<void> {
    while (this.loading) await this.loading.catch(() => undefined);
  }

  private emit(change: AccessChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.logger.error(`access change listener failed: ${String(error)}`);
      }
    }
  }

  permissionsOf(roleNames: readonly string[], clientId: string): ReadonlySet<Permission> {
    return this.index.permissionsOf(roleNames, clientId);
  }

  scopeOf(roleNames: readonly string[], clientId: string, permission: Permission): AccessScope {
    return this.index.scopeOf(roleNames, clientId, permission);
  }

  application(clientId: string): ApplicationView | undefined {
    return this.appsByClientId.get(clientId);
  }

  applicationById(id: string): ApplicationView | undefined {
    return this.appsById.get(id);
  }

  defaultApplication(): ApplicationView {
    if (!this.defaultApp) throw new Error('No default application: run the migrations');
    return this.defaultApp;
  }

  /** Coalesces concurrent refreshes; a refresh requested during a load runs once more after it. */
  refresh(): Promise<void> {
    if (this.loading) {
      this.stale = true;
      return this.loading;
    }
    this.loading = this.load().finally(() => {
      this.loading = undefined;
      if (this.stale) {
        this.stale = false;
        // A failure here (the pool closing at shutdown) must not become an unhandled rejection.
        this.refresh().catch((e: unknown) => this.logger.error(String(e)));
      }
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    const manager = this.uow.manager;
    const [roles, apps] = await Promise.all([manager.find(RoleEntity), manager.find(ApplicationEntity)]);
    const views: RoleView[] = roles.map((r) => ({
        id: r.id,
        name: r.name,
        // The system role `admin` holds every permission, including ones added after it was created.
        permissions: r.system && r.name === SYSTEM_ROLES.admin ? ALL_PERMISSIONS : r.permissions.filter(isPermission),
        active: r.active,
        applicationId: r.applicationId,
        system: r.system,
      }));
    const appsByClientId = new Map<string, ApplicationView>();
    const appsById = new Map<string, ApplicationView>();
    let defaultApp: ApplicationView | undefined;
    for (const a of apps) {
      const view: ApplicationView = { id: a.id, clientId: a.clientId, name: a.name, active: a.active, isDefault: a.isDefault, redirectUris: a.redirectUris ?? [] };
      appsByClientId.set(a.clientId, view);
      appsById.set(a.id, view);
      if (a.isDefault) defaultApp = view;
    }
    this.index = new RoleIndex(views, [...appsById.values()]);
    this.appsByClientId = appsByClientId;
    this.appsById = appsById;
    this.defaultApp = defaultApp;
    this.emit({ kind: 'catalog' });
  }
}
