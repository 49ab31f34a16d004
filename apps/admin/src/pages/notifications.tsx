import { ok } from '../api';
import { setQuery, useLocation } from '../router';
import { useConsole } from '../session';
import { Empty, ErrorMessage, Field, formatTime, Loading, Pager, useLoad } from '../ui';

const STATUSES = ['queued', 'sent', 'failed'] as const;
const CHANNELS = ['email', 'sms'] as const;

export function Notifications() {
  const { session } = useConsole();
  const { query } = useLocation();
  const pick = <T extends string>(values: readonly T[], value: string | null) => (values as readonly string[]).includes(value ?? '') ? (value as T) : undefined;
  const status = pick(STATUSES, query.get('status'));
  const channel = pick(CHANNELS, query.get('channel'));
  const cursor = query.get('cursor') ?? undefined;
  const list = useLoad(() => ok(session.api.GET('/api/v1/notifications', { params: { query: { status, channel, cursor, limit: 25 } } })), [status, channel, cursor]);
  return (
    <section aria-labelledby="notifications-title">
      <h1 id="notifications-title">Notifications</h1>
      <p className="lead">Every email and text message the service sent or tried to send, with its delivery attempts. Codes and links are never shown.</p>
      <form className="filters" aria-label="Filter notifications" onSubmit={(e) => e.preventDefault()}>
        <Field label="Status">
          {(p) => (
            <select {...p} value={status ?? ''} onChange={(e) => setQuery({ status: e.target.value || undefined, channel })}>
              <option value="">Any status</option>
              {STATUSES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Channel">
          {(p) => (
            <select {...p} value={channel ?? ''} onChange={(e) => setQuery({ status, channel: e.target.value || undefined })}>
              <option value="">Any channel</option>
              {CHANNELS.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          )}
        </Field>
      </form>
      <ErrorMessage>{list.error}</ErrorMessage>
      {list.loading && <Loading what="notifications" />}
      {!list.loading && list.data && list.data.items.length === 0 && <Empty>No notifications match these filters.</Empty>}
      {!list.loading && list.data && list.data.items.length > 0 && (
        <table className="list">
          <caption className="visually-hidden">Notifications</caption>
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Channel</th>
              <th scope="col">Template</th>
              <th scope="col">Recipient</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last error</th>
              <th scope="col">Sent</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((n) => (
              <tr key={n.id}>
                <td data-label="Created" className="nowrap">{formatTime(n.createdAt)}</td>
                <td data-label="Channel" className="nowrap">{n.channel}</td>
                <td data-label="Template">{n.template}</td>
                <td data-label="Recipient">{n.recipient}</td>
                <td data-label="Status" className="nowrap">
                  <span className={`badge ${n.status}`}>{n.status}</span>
                </td>
                <td data-label="Attempts">{n.attempts}</td>
                <td data-label="Last error" className="details">
                  {n.lastError ?? '—'}
                </td>
                <td data-label="Sent" className="nowrap">{formatTime(n.sentAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager nextCursor={list.data?.nextCursor} cursor={cursor} go={(next) => setQuery({ status, channel, cursor: next })} />
    </section>
  );
}
