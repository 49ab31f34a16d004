import { type FormEvent } from 'react';
import { ok, type Schemas } from '../api';
import type { paths } from '@identity-task/client';
import { Link, setQuery, useLocation } from '../router';
import { useConsole } from '../session';
import { Empty, ErrorMessage, Field, formatTime, Loading, Pager, useLoad } from '../ui';

type AuditType = NonNullable<NonNullable<paths['/api/v1/audit-events']['get']['parameters']['query']>['type']>;

/**
 * Suggestions for the type filter (the service validates the value). Keyed by the schema's type
 * union, so the type-check fails when the service documents an event type this list lacks.
 */
const TYPE_SUGGESTIONS: Record<AuditType, true> = {
  'login.succeeded': true,
  'login.failed': true,
  'login.locked': true,
  'token.reused': true,
  'session.logout': true,
  'session.logout_all': true,
  'session.revoked': true,
  'password.changed': true,
  'password.reset': true,
  'role.created': true,
  'role.updated': true,
  'role.activated': true,
  'role.deactivated': true,
  'role.permissions_changed': true,
  'role.deleted': true,
  'user.roles_assigned': true,
  'user.created': true,
  'user.updated': true,
  'user.disabled': true,
  'user.enabled': true,
  'user.deleted': true,
  'application.created': true,
  'application.updated': true,
  'application.deleted': true,
  'mfa.enabled': true,
  'mfa.disabled': true,
  'mfa.factor_added': true,
  'mfa.factor_removed': true,
  'mfa.succeeded': true,
  'mfa.failed': true,
  'mfa.recovery_code_used': true,
  'mfa.recovery_codes_regenerated': true,
  'mfa.reset_by_admin': true,
  'passkey.registered': true,
  'passkey.removed': true,
  'passkey.signed_in': true,
  'passkey.failed': true,
  'provider.signed_in': true,
  'identity.linked': true,
  'identity.unlinked': true,
};
const KNOWN_TYPES = Object.keys(TYPE_SUGGESTIONS) as AuditType[];

/** `datetime-local` (the operator's local time) ⇄ the API's ISO-8601 UTC. */
const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);
const toLocal = (iso: string | null) => {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

export function AuditLog() {
  const { session } = useConsole();
  const { query } = useLocation();
  const filters = {
    userId: query.get('userId') ?? undefined,
    type: query.get('type') ?? undefined,
    from: query.get('from') ?? undefined,
    to: query.get('to') ?? undefined,
  };
  const cursor = query.get('cursor') ?? undefined;
  const list = useLoad(
    () => ok(session.api.GET('/api/v1/audit-events', { params: { query: { ...filters, type: filters.type as AuditType | undefined, cursor, limit: 25 } } })),
    [filters.userId, filters.type, filters.from, filters.to, cursor],
  );
  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    setQuery({ userId: value('userId'), type: value('type'), from: toIso(value('from') ?? ''), to: toIso(value('to') ?? '') });
  };
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <form className="filters" aria-label="Filter audit events" onSubmit={apply} key={query.toString()}>
        <Field label="User id" hint="Events about or by this user">
          {(p) => <input {...p} name="userId" defaultValue={filters.userId} />}
        </Field>
        <Field label="Event type">
          {(p) => (
            <>
              <input {...p} name="type" list="audit-types" defaultValue={filters.type} />
              <datalist id="audit-types">
                {KNOWN_TYPES.map((t) => (
                  <option key={t} value={t} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field label="From">{(p) => <input {...p} name="from" type="datetime-local" defaultValue={toLocal(filters.from ?? null)} />}</Field>
        <Field label="To">{(p) => <input {...p} name="to" type="datetime-local" defaultValue={toLocal(filters.to ?? null)} />}</Field>
        <div className="actions">
          <button type="submit" className="primary">
            Filter
          </button>
          <button type="button" onClick={() => setQuery({})}>
            Clear filters
          </button>
        </div>
      </form>
      <ErrorMessage>{list.error}</ErrorMessage>
      {list.loading && <Loading what="audit events" />}
      {!list.loading && list.data && list.data.items.length === 0 && <Empty>No audit events match these filters.</Empty>}
      {!list.loading && list.data && list.data.items.length > 0 && <AuditTable events={list.data.items} />}
      <Pager nextCursor={list.data?.nextCursor} cursor={cursor} go={(next) => setQuery({ ...filters, cursor: next })} />
    </section>
  );
}

function AuditTable({ events }: { events: Schemas['AuditEventDto'][] }) {
  return (
    <table className="list">
      <caption className="visually-hidden">Audit events</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Type</th>
          <th scope="col">Actor</th>
          <th scope="col">Subject</th>
          <th scope="col">Address</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id}>
            <td data-label="Time" className="nowrap">{formatTime(e.at)}</td>
            <td data-label="Type" className="nowrap">
              <code>{e.type}</code>
            </td>
            <td data-label="Actor" className="nowrap">{e.actorId ? <Link to={`/users/${e.actorId}`}>{short(e.actorId)}</Link> : '—'}</td>
            <td data-label="Subject" className="nowrap">{e.subjectId ? <Link to={`/users/${e.subjectId}`}>{short(e.subjectId)}</Link> : '—'}</td>
            <td data-label="Address" className="nowrap">{e.ip ?? '—'}</td>
            <td data-label="Details" className="details">
              {e.data && Object.keys(e.data).length > 0 ? JSON.stringify(e.data) : '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const short = (id: string) => `${id.slice(0, 8)}…`;
