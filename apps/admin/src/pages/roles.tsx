import { useState, type FormEvent } from 'react';
import { errorText, ok, type Application, type Role } from '../api';
import { setQuery, useLocation } from '../router';
import { useConsole } from '../session';
import { ConfirmButton, Empty, ErrorMessage, Field, Loading, Notice, Pager, useLoad, FormActions } from '../ui';
import { useCatalog } from './users';

type Permission = { name: string; description?: string };

function usePermissions() {
  const { session } = useConsole();
  return useLoad(async () => {
    const all: Permission[] = [];
    for (let cursor: string | undefined, first = true; first || cursor; first = false) {
      const page = await ok(session.api.GET('/api/v1/permissions', { params: { query: { limit: 100, cursor } } }));
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    }
    return all;
  }, []);
}

export function Roles() {
  const { session, can } = useConsole();
  const { query } = useLocation();
  const activeFilter = query.get('active') ?? '';
  const cursor = query.get('cursor') ?? undefined;
  const list = useLoad(
    () => ok(session.api.GET('/api/v1/roles', { params: { query: { limit: 50, cursor, ...(activeFilter ? { active: activeFilter === 'true' } : {}) } } })),
    [activeFilter, cursor],
  );
  const permissions = usePermissions();
  const catalog = useCatalog();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [editing, setEditing] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const writable = can('roles:write');
  const appName = (id: string | null | undefined) => (id ? (catalog.data?.applications.find((a: Application) => a.id === id)?.name ?? id) : 'All applications');

  const changed = (message: string) => {
    setNotice(message);
    setEditing(undefined);
    list.reload();
  };
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const roles = list.data?.items ?? [];

  return (
    <section aria-labelledby="roles-title">
      <h1 id="roles-title">Roles and permissions</h1>
      <form className="filters" aria-label="Filter roles" onSubmit={(e) => e.preventDefault()}>
        <Field label="Show">
          {(p) => (
            <select {...p} value={activeFilter} onChange={(e) => setQuery({ active: e.target.value || undefined })}>
              <option value="">All roles</option>
              <option value="true">Active roles</option>
              <option value="false">Inactive roles</option>
            </select>
          )}
        </Field>
      </form>
      <Notice>{notice}</Notice>
      <ErrorMessage>{list.error ?? permissions.error}</ErrorMessage>
      {list.loading && <Loading what="roles" />}
      {!list.loading && list.data && roles.length === 0 && <Empty>No roles here.</Empty>}
      {!list.loading && roles.length > 0 && (
        <ul className="rows roles" aria-label="Roles">
          {roles.map((role) => (
            <li key={role.id}>
              {editing === role.id && permissions.data ? (
                <RoleForm role={role} permissions={permissions.data} applications={[]} onDone={changed} onCancel={() => setEditing(undefined)} />
              ) : (
                <>
                  <div>
                    <div className="role-head">
                      {writable && (
                        <input type="checkbox" aria-label={`Select ${role.name}`} checked={selected.has(role.id)} onChange={(e) => toggle(role.id, e.target.checked)} />
                      )}
                      <strong>{role.name}</strong>
                      <span className={`badge ${role.active ? 'active' : 'disabled'}`}>{role.active ? 'active' : 'inactive'}</span>
                      {role.system && <span className="badge">system</span>}
                    </div>
                    <span>
                      {appName(role.applicationId)}
                      {role.description ? ` · ${role.description}` : ''}
                    </span>
                    <span className="permissions">{role.permissions.join(', ') || 'no permissions'}</span>
                  </div>
                  {writable && (
                    <div className="actions">
                      <button type="button" onClick={() => setEditing(role.id)} aria-label={`Edit ${role.name}`}>
                        Edit
                      </button>
                      <ConfirmButton
                        label={role.active ? 'Deactivate' : 'Activate'}
                        name={`${role.active ? 'Deactivate' : 'Activate'} ${role.name}`}
                        title={`${role.active ? 'Deactivate' : 'Activate'} ${role.name}?`}
                        question={role.active ? 'An inactive role grants nothing: its holders lose its permissions at their next token refresh.' : 'Its holders get its permissions again at their next token refresh.'}
                        confirmLabel={role.active ? 'Deactivate' : 'Activate'}
                        danger={role.active}
                        onConfirm={async () => {
                          await ok(session.api.PATCH('/api/v1/roles/{id}/status', { params: { path: { id: role.id } }, body: { active: !role.active } }));
                          changed(`${role.name} is ${role.active ? 'inactive' : 'active'}.`);
                        }}
                      />
                    </div>
                  )}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <Pager nextCursor={list.data?.nextCursor} cursor={cursor} go={(next) => setQuery({ active: activeFilter || undefined, cursor: next })} />
      {writable && permissions.data && (
        <BulkPermissions
          roles={roles.filter((r) => selected.has(r.id))}
          permissions={permissions.data}
          onDone={(message) => {
            setSelected(new Set());
            changed(message);
          }}
        />
      )}
      {writable && permissions.data && (
        <section className="card" aria-labelledby="new-role-title">
          <h2 id="new-role-title">Create a role</h2>
          <RoleForm permissions={permissions.data} applications={catalog.data?.applications ?? []} onDone={changed} />
        </section>
      )}
    </section>
  );
}

function PermissionChecks({ permissions, chosen, legend }: { permissions: Permission[]; chosen: readonly string[]; legend: string }) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      <div className="checks">
        {permissions.map((p) => (
          <label key={p.name} title={p.description}>
            <input type="checkbox" name="permission" value={p.name} defaultChecked={chosen.includes(p.name)} /> {p.name}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** Creates a role, or edits one (name, description, permissions). */
function RoleForm({ role, permissions, applications, onDone, onCancel }: { role?: Role; permissions: Permission[]; applications: Application[]; onDone: (message: string) => void; onCancel?: () => void }) {
  const { session } = useConsole();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const name = String(form.get('name')).trim();
    const description = String(form.get('description') ?? '').trim();
    const chosen = form.getAll('permission').map(String);
    const applicationId = String(form.get('applicationId') ?? '') || undefined;
    setBusy(true);
    setError(undefined);
    try {
      if (role) {
        await ok(session.api.PATCH('/api/v1/roles/{id}', { params: { path: { id: role.id } }, body: { name, description, permissions: chosen } }));
        onDone(`${name} saved.`);
      } else {
        await ok(session.api.POST('/api/v1/roles', { body: { name, permissions: chosen, ...(description ? { description } : {}), ...(applicationId ? { applicationId } : {}) } }));
        formElement.reset();
        onDone(`${name} created.`);
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} aria-label={role ? `Edit ${role.name}` : 'Create a role'}>
      <Field label="Role name">{(p) => <input {...p} name="name" defaultValue={role?.name} required />}</Field>
      <Field label="Description">{(p) => <input {...p} name="description" defaultValue={role?.description ?? ''} />}</Field>
      {!role && applications.length > 0 && (
        <Field label="Application" hint="A global role applies in every application">
          {(p) => (
            <select {...p} name="applicationId" defaultValue="">
              <option value="">All applications (global)</option>
              {applications.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <PermissionChecks permissions={permissions} chosen={role?.permissions ?? []} legend="Permissions" />
      <ErrorMessage>{error}</ErrorMessage>
      <FormActions submit={role ? 'Save role' : 'Create role'} busy={busy} onCancel={onCancel} />
    </form>
  );
}

/** Adds or removes permissions on every selected role at once (PUT /roles/permissions: one transaction). */
function BulkPermissions({ roles, permissions, onDone }: { roles: Role[]; permissions: Permission[]; onDone: (message: string) => void }) {
  const { session } = useConsole();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const chosen = form.getAll('permission').map(String);
    const add = form.get('change') !== 'remove';
    if (chosen.length === 0) {
      setError('Choose at least one permission.');
      return;
    }
    const items = roles.map((r) => ({
      roleId: r.id,
      permissions: add ? [...new Set([...r.permissions, ...chosen])] : r.permissions.filter((p) => !chosen.includes(p)),
    }));
    setBusy(true);
    setError(undefined);
    try {
      await ok(session.api.PUT('/api/v1/roles/permissions', { body: { items } }));
      onDone(`${add ? 'Added' : 'Removed'} ${chosen.join(', ')} ${add ? 'to' : 'from'} ${roles.map((r) => r.name).join(', ')}.`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="bulk-title">
      <h2 id="bulk-title">Edit permissions of several roles</h2>
      {roles.length === 0 ? (
        <p>Select roles in the list above to change their permissions together.</p>
      ) : (
        <form onSubmit={submit} aria-label="Edit permissions of the selected roles">
          <p>Selected: {roles.map((r) => r.name).join(', ')}</p>
          <fieldset>
            <legend>Change</legend>
            <label>
              <input type="radio" name="change" value="add" defaultChecked /> Add the permissions
            </label>
            <label>
              <input type="radio" name="change" value="remove" /> Remove the permissions
            </label>
          </fieldset>
          <PermissionChecks permissions={permissions} chosen={[]} legend="Permissions to change" />
          <ErrorMessage>{error}</ErrorMessage>
          <button type="submit" className="primary" disabled={busy}>
            Apply to {roles.length} {roles.length === 1 ? 'role' : 'roles'}
          </button>
        </form>
      )}
    </section>
  );
}
