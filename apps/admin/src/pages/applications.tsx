import { useState, type FormEvent } from 'react';
import { errorText, ok, type Application } from '../api';
import { useConsole } from '../session';
import { Empty, ErrorMessage, Field, formatTime, Loading, Notice, Pager, useLoad, FormActions } from '../ui';

/** Redirect URIs, one a line (for sign-in through external providers). */
function parseUris(text: string): string[] {
  return text
    .split(/\s+/)
    .map((u) => u.trim())
    .filter(Boolean);
}

export function Applications() {
  const { session, can } = useConsole();
  const [cursor, setCursor] = useState<string>();
  const list = useLoad(() => ok(session.api.GET('/api/v1/applications', { params: { query: { limit: 50, cursor } } })), [cursor]);
  const [editing, setEditing] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const items = (list.data?.items ?? []) as Application[];
  // Redirect URIs are shown and edited where the service has them (objects carry `redirectUris`).
  const hasRedirects = items.some((a) => Array.isArray(a.redirectUris));
  const writable = can('applications:write');
  const changed = (message: string) => {
    setNotice(message);
    setEditing(undefined);
    list.reload();
  };
  return (
    <section aria-labelledby="apps-title">
      <h1 id="apps-title">Applications</h1>
      <Notice>{notice}</Notice>
      <ErrorMessage>{list.error}</ErrorMessage>
      {list.loading && <Loading what="applications" />}
      {!list.loading && list.data && items.length === 0 && <Empty>No applications.</Empty>}
      {!list.loading && items.length > 0 && (
        <ul className="rows" aria-label="Applications">
          {items.map((app) => (
            <li key={app.id}>
              {editing === app.id ? (
                <ApplicationForm app={app} hasRedirects={hasRedirects} onDone={changed} onCancel={() => setEditing(undefined)} />
              ) : (
                <>
                  <div>
                    <div className="role-head">
                      <strong>{app.name}</strong>
                      <span className={`badge ${app.active ? 'active' : 'disabled'}`}>{app.active ? 'active' : 'inactive'}</span>
                      {app.isDefault && <span className="badge">default</span>}
                    </div>
                    <span>
                      Client id <code>{app.clientId}</code> · created {formatTime(app.createdAt)}
                    </span>
                    {hasRedirects && <span>Redirect URIs: {app.redirectUris?.length ? app.redirectUris.join(', ') : 'none'}</span>}
                  </div>
                  {writable && (
                    <div className="actions">
                      <button type="button" onClick={() => setEditing(app.id)} aria-label={`Edit ${app.name}`}>
                        Edit
                      </button>
                    </div>
                  )}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <Pager nextCursor={list.data?.nextCursor} cursor={cursor} go={setCursor} />
      {writable && (
        <section className="card" aria-labelledby="new-app-title">
          <h2 id="new-app-title">Create an application</h2>
          <ApplicationForm hasRedirects={hasRedirects} onDone={changed} />
        </section>
      )}
    </section>
  );
}

function ApplicationForm({ app, hasRedirects, onDone, onCancel }: { app?: Application; hasRedirects: boolean; onDone: (message: string) => void; onCancel?: () => void }) {
  const { session } = useConsole();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const name = String(form.get('name')).trim();
    const active = form.get('active') === 'on';
    const redirects = hasRedirects ? { redirectUris: parseUris(String(form.get('redirectUris') ?? '')) } : {};
    setBusy(true);
    setError(undefined);
    try {
      if (app) {
        await ok(session.api.PATCH('/api/v1/applications/{id}', { params: { path: { id: app.id } }, body: { name, active, ...redirects } }));
        onDone(`${name} saved.`);
      } else {
        const clientId = String(form.get('clientId')).trim();
        await ok(session.api.POST('/api/v1/applications', { body: { clientId, name, active, ...redirects } }));
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
    <form onSubmit={submit} aria-label={app ? `Edit ${app.name}` : 'Create an application'}>
      {!app && <Field label="Client id" hint="Letters, digits and dashes; fixed once created">{(p) => <input {...p} name="clientId" required />}</Field>}
      <Field label="Application name">{(p) => <input {...p} name="name" defaultValue={app?.name} required />}</Field>
      <label className="inline">
        <input type="checkbox" name="active" defaultChecked={app?.active ?? true} /> Active
      </label>
      {hasRedirects && (
        <Field label="Redirect URIs" hint="One a line; matched exactly">
          {(p) => <textarea {...p} name="redirectUris" rows={3} defaultValue={(app?.redirectUris ?? []).join('\n')} />}
        </Field>
      )}
      <ErrorMessage>{error}</ErrorMessage>
      <FormActions submit={app ? 'Save application' : 'Create application'} busy={busy} onCancel={onCancel} />
    </form>
  );
}
