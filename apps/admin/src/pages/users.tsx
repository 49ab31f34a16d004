import { type FormEvent } from 'react';
import { ok, type Application, type Role } from '../api';
import { Link, setQuery, useLocation } from '../router';
import { useConsole } from '../session';
import { Empty, ErrorMessage, Field, formatTime, Loading, Pager, useLoad } from '../ui';

const STATUSES = ['pending', 'active', 'disabled'] as const;
type Status = (typeof STATUSES)[number];

/** Roles and applications for the filters (each only when the operator may read them). */
export function useCatalog() {
  const { session, can } = useConsole();
  return useLoad(async () => {
    const roles: Role[] = [];
    const applications: Application[] = [];
    if (can('roles:read')) {
      for (let cursor: string | undefined, first = true; first || cursor; first = false) {
        const page = await ok(session.api.GET('/api/v1/roles', { params: { query: { limit: 100, cursor } } }));
        roles.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      }
    }
    if (can('applications:write')) {
      for (let cursor: string | undefined, first = true; first || cursor; first = false) {
        const page = await ok(session.api.GET('/api/v1/applications', { params: { query: { limit: 100, cursor } } }));
        applications.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      }
    }
    return { roles, applications };
  }, []);
}

export function Users() {
  const { session } = useConsole();
  const { query } = useLocation();
  const filters = {
    q: query.get('q') ?? undefined,
    role: query.get('role') ?? undefined,
    status: (STATUSES as readonly string[]).includes(query.get('status') ?? '') ? (query.get('status') as Status) : undefined,
    applicationId: query.get('applicationId') ?? undefined,
  };
  const cursor = query.get('cursor') ?? undefined;
  const catalog = useCatalog();
  const list = useLoad(
    () => ok(session.api.GET('/api/v1/users', { params: { query: { ...filters, cursor, limit: 20 } } })),
    [filters.q, filters.role, filters.status, filters.applicationId, cursor],
  );

  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    setQuery({ q: value('q'), role: value('role'), status: value('status'), applicationId: value('applicationId') });
  };
  const roleNames = [...new Set((catalog.data?.roles ?? []).map((r) => r.name))].sort();

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <form className="filters" role="search" aria-label="Search users" onSubmit={search} key={query.toString()}>
        <Field label="Search" hint="Username, email, phone or name">
          {(p) => <input {...p} name="q" type="search" defaultValue={filters.q} />}
        </Field>
        <Field label="Role">
          {(p) =>
            roleNames.length > 0 ? (
              <select {...p} name="role" defaultValue={filters.role ?? ''}>
                <option value="">Any role</option>
                {roleNames.map((name) => (
                  <option key={name}>{name}</option>
                ))}
              </select>
            ) : (
              <input {...p} name="role" defaultValue={filters.role} />
            )
          }
        </Field>
        <Field label="Status">
          {(p) => (
            <select {...p} name="status" defaultValue={filters.status ?? ''}>
              <option value="">Any status</option>
              {STATUSES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          )}
        </Field>
        {(catalog.data?.applications.length ?? 0) > 0 && (
          <Field label="Application">
            {(p) => (
              <select {...p} name="applicationId" defaultValue={filters.applicationId ?? ''}>
                <option value="">Any application</option>
                {catalog.data?.applications.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <div className="actions">
          <button type="submit" className="primary">
            Search
          </button>
        </div>
      </form>
      <ErrorMessage>{list.error}</ErrorMessage>
      {list.loading && <Loading what="users" />}
      {!list.loading && list.data && list.data.items.length === 0 && <Empty>No users match these filters.</Empty>}
      {!list.loading && list.data && list.data.items.length > 0 && (
        <table className="list">
          <caption className="visually-hidden">Users</caption>
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Email</th>
              <th scope="col">Phone</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((u) => (
              <tr key={u.id}>
                <td data-label="Username">
                  <Link to={`/users/${u.id}`}>{u.username}</Link>
                </td>
                <td data-label="Email">{u.email ?? '—'}</td>
                <td data-label="Phone">{u.phone ?? '—'}</td>
                <td data-label="Status">
                  <span className={`badge ${u.status}`}>{u.status}</span>
                </td>
                <td data-label="Created">{formatTime(u.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager nextCursor={list.data?.nextCursor} cursor={cursor} go={(next) => setQuery({ ...filters, cursor: next })} />
    </section>
  );
}
