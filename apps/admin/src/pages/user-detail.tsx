import { useState, type FormEvent } from 'react';
import { errorText, ok, type Application, type Role, type User } from '../api';
import { Link, navigate } from '../router';
import { useConsole } from '../session';
import { ConfirmButton, Empty, ErrorMessage, Field, formatTime, Loading, Notice, Pager, useLoad } from '../ui';
import { useCatalog } from './users';

export function UserDetail({ id }: { id: string }) {
  const { session } = useConsole();
  const user = useLoad(() => ok(session.api.GET('/api/v1/users/{id}', { params: { path: { id } } })), [id]);
  const [notice, setNotice] = useState<string>();
  const changed = (message: string) => {
    setNotice(message);
    user.reload();
  };
  return (
    <section aria-labelledby="user-title">
      <p className="breadcrumb">
        <Link to="/users">← All users</Link>
      </p>
      <h1 id="user-title">{user.data ? user.data.username : 'User'}</h1>
      <ErrorMessage>{user.error}</ErrorMessage>
      {user.loading && !user.data && <Loading what="the user" />}
      <Notice>{notice}</Notice>
      {user.data && (
        <>
          <Profile user={user.data} onChanged={changed} />
          <Status user={user.data} onChanged={changed} />
          <UserRoles user={user.data} onChanged={setNotice} />
          <Sessions user={user.data} onChanged={setNotice} />
          <TwoFactor user={user.data} onChanged={changed} />
          <DeleteUser user={user.data} />
        </>
      )}
    </section>
  );
}

function Profile({ user, onChanged }: { user: User; onChanged: (message: string) => void }) {
  const { session, can } = useConsole();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const body: Record<string, string> = {};
    for (const name of ['username', 'firstName', 'lastName', 'email', 'phone'] as const) {
      const value = text(name);
      if (value !== (user[name] ?? '') && value !== '') body[name] = value;
    }
    setBusy(true);
    setError(undefined);
    try {
      await ok(session.api.PATCH('/api/v1/users/{id}', { params: { path: { id: user.id } }, body }));
      setEditing(false);
      onChanged('Profile saved.');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      {!editing ? (
        <>
          <dl className="facts">
            <dt>Username</dt>
            <dd>{user.username}</dd>
            <dt>Name</dt>
            <dd>{[user.firstName, user.lastName].filter(Boolean).join(' ') || '—'}</dd>
            <dt>Email</dt>
            <dd>
              {user.email ?? '—'} {user.email && (user.emailVerified ? '(verified)' : '(not verified)')}
            </dd>
            <dt>Phone</dt>
            <dd>
              {user.phone ?? '—'} {user.phone && (user.phoneVerified ? '(verified)' : '(not verified)')}
            </dd>
            <dt>Status</dt>
            <dd>
              <span className={`badge ${user.status}`}>{user.status}</span>
            </dd>
            <dt>Two-factor</dt>
            <dd>{user.mfaEnabled ? 'on' : 'off'}</dd>
            <dt>Created</dt>
            <dd>{formatTime(user.createdAt)}</dd>
            <dt>User id</dt>
            <dd>
              <code>{user.id}</code>
            </dd>
          </dl>
          {can('users:write') && (
            <button type="button" onClick={() => setEditing(true)}>
              Edit profile
            </button>
          )}
        </>
      ) : (
        <form onSubmit={save} aria-label="Edit profile">
          <Field label="Username">{(p) => <input {...p} name="username" defaultValue={user.username} required />}</Field>
          <Field label="First name">{(p) => <input {...p} name="firstName" defaultValue={user.firstName ?? ''} />}</Field>
          <Field label="Last name">{(p) => <input {...p} name="lastName" defaultValue={user.lastName ?? ''} />}</Field>
          <Field label="Email">{(p) => <input {...p} name="email" type="email" defaultValue={user.email ?? ''} />}</Field>
          <Field label="Phone" hint="International format, e.g. +447700900123">
            {(p) => <input {...p} name="phone" type="tel" defaultValue={user.phone ?? ''} />}
          </Field>
          <ErrorMessage>{error}</ErrorMessage>
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              Save profile
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function Status({ user, onChanged }: { user: User; onChanged: (message: string) => void }) {
  const { session, can } = useConsole();
  if (!can('users:write')) return null;
  const disabled = user.status === 'disabled';
  const setStatus = async (status: 'active' | 'disabled') => {
    await ok(session.api.PATCH('/api/v1/users/{id}', { params: { path: { id: user.id } }, body: { status } }));
    onChanged(status === 'disabled' ? `${user.username} is disabled; their sessions have ended.` : `${user.username} is enabled again.`);
  };
  return (
    <section className="card" aria-labelledby="status-title">
      <h2 id="status-title">Account status</h2>
      <p>
        {disabled
          ? 'This account is disabled: it cannot sign in.'
          : user.status === 'pending'
            ? 'This account has not verified a contact yet.'
            : 'This account is active.'}
      </p>
      {disabled ? (
        <ConfirmButton
          label="Enable user"
          title={`Enable ${user.username}?`}
          question="They will be able to sign in again."
          confirmLabel="Enable"
          onConfirm={() => setStatus('active')}
        />
      ) : (
        <ConfirmButton
          label="Disable user"
          title={`Disable ${user.username}?`}
          question="They will be signed out everywhere at once and cannot sign in until enabled again."
          confirmLabel="Disable"
          danger
          onConfirm={() => setStatus('disabled')}
        />
      )}
    </section>
  );
}

/** The user's roles in each scope: the global roles and each application's. */
function UserRoles({ user, onChanged }: { user: User; onChanged: (message: string) => void }) {
  const { session, can } = useConsole();
  const catalog = useCatalog();
  const scopes: { id: string | null; name: string }[] = [
    { id: null, name: 'All applications (global roles)' },
    ...(catalog.data?.applications ?? []).map((a: Application) => ({ id: a.id, name: a.name })),
  ];
  const assigned = useLoad(async () => {
    const result = new Map<string | null, string[]>();
    for (const scope of scopes) {
      const data = await ok(
        session.api.GET('/api/v1/users/{id}/roles', { params: { path: { id: user.id }, query: scope.id ? { applicationId: scope.id } : {} } }),
      );
      result.set(scope.id, data.roles.map((r) => r.name));
    }
    return result;
  }, [user.id, catalog.data]);
  if (!can('users:read')) return null;
  return (
    <section className="card" aria-labelledby="roles-title">
      <h2 id="roles-title">Roles</h2>
      <ErrorMessage>{catalog.error ?? assigned.error}</ErrorMessage>
      {(catalog.loading || assigned.loading) && <Loading what="roles" />}
      {assigned.data &&
        catalog.data &&
        scopes.map((scope) => (
          <ScopeRoles
            key={scope.id ?? 'global'}
            user={user}
            scope={scope}
            available={catalog.data!.roles.filter((r: Role) => (r.applicationId ?? null) === scope.id)}
            assigned={assigned.data!.get(scope.id) ?? []}
            editable={can('roles:assign')}
            onSaved={(names) => onChanged(`Roles in ${scope.name} saved: ${names.join(', ') || 'none'}. They take effect at the user's next token refresh.`)}
          />
        ))}
    </section>
  );
}

function ScopeRoles({
  user,
  scope,
  available,
  assigned,
  editable,
  onSaved,
}: {
  user: User;
  scope: { id: string | null; name: string };
  available: Role[];
  assigned: string[];
  editable: boolean;
  onSaved: (names: string[]) => void;
}) {
  const { session } = useConsole();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const names = [...new Set([...available.map((r) => r.name), ...assigned])].sort();
  if (!editable) {
    return (
      <p>
        <strong>{scope.name}:</strong> {assigned.join(', ') || 'no roles'}
      </p>
    );
  }
  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const chosen = new FormData(event.currentTarget).getAll('role').map(String);
    setBusy(true);
    setError(undefined);
    try {
      const result = await ok(
        session.api.PUT('/api/v1/users/{id}/roles', { params: { path: { id: user.id } }, body: { roles: chosen, ...(scope.id ? { applicationId: scope.id } : {}) } }),
      );
      onSaved(result.roles.map((r) => r.name));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={save} aria-label={`Roles in ${scope.name}`}>
      <fieldset>
        <legend>{scope.name}</legend>
        {names.length === 0 && <Empty>No roles are defined here.</Empty>}
        <div className="checks">
          {names.map((name) => (
            <label key={name}>
              <input type="checkbox" name="role" value={name} defaultChecked={assigned.includes(name)} /> {name}
            </label>
          ))}
        </div>
      </fieldset>
      <ErrorMessage>{error}</ErrorMessage>
      {names.length > 0 && (
        <button type="submit" disabled={busy}>
          Save roles in {scope.name}
        </button>
      )}
    </form>
  );
}

function Sessions({ user, onChanged }: { user: User; onChanged: (message: string) => void }) {
  const { session, can } = useConsole();
  const [cursor, setCursor] = useState<string>();
  const list = useLoad(
    () => (can('users:write') ? ok(session.api.GET('/api/v1/users/{id}/sessions', { params: { path: { id: user.id }, query: { cursor, limit: 20 } } })) : Promise.resolve(undefined)),
    [user.id, cursor],
  );
  if (!can('users:write')) return null;
  const revoke = async (sid: string) => {
    await ok(session.api.DELETE('/api/v1/users/{id}/sessions/{sid}', { params: { path: { id: user.id, sid } } }));
    onChanged('Session revoked.');
    list.reload();
  };
  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions</h2>
      <ErrorMessage>{list.error}</ErrorMessage>
      {list.loading && <Loading what="sessions" />}
      {!list.loading && list.data && list.data.items.length === 0 && <Empty>No active sessions.</Empty>}
      {!list.loading && list.data && list.data.items.length > 0 && (
        <ul className="rows" aria-label="Sessions">
          {list.data.items.map((s) => (
            <li key={s.id}>
              <div>
                <strong>{s.userAgent || 'Unknown client'}</strong>
                <span>
                  {s.ip ?? 'unknown address'} · application {s.clientId} · started {formatTime(s.createdAt)} · last used {formatTime(s.lastUsedAt)}
                </span>
              </div>
              <ConfirmButton
                label="Revoke"
                name={`Revoke the session of ${s.userAgent || 'an unknown client'} from ${s.ip ?? 'an unknown address'}`}
                title="Revoke this session?"
                question={`The device (${s.userAgent || 'unknown client'}, ${s.ip ?? 'unknown address'}) is signed out at once.`}
                confirmLabel="Revoke session"
                danger
                onConfirm={() => revoke(s.id)}
              />
            </li>
          ))}
        </ul>
      )}
      <Pager nextCursor={list.data?.nextCursor} cursor={cursor} go={setCursor} />
    </section>
  );
}

function TwoFactor({ user, onChanged }: { user: User; onChanged: (message: string) => void }) {
  const { session, can } = useConsole();
  if (!can('users:write')) return null;
  return (
    <section className="card" aria-labelledby="mfa-title">
      <h2 id="mfa-title">Two-factor authentication</h2>
      {user.mfaEnabled ? (
        <>
          <p>On. If the user lost their device and recovery codes, reset it: every factor and recovery code is removed and they sign in with their password alone.</p>
          <ConfirmButton
            label="Reset two-factor"
            title={`Reset two-factor authentication of ${user.username}?`}
            question="Their authenticator apps, passkeys and recovery codes stop working."
            confirmLabel="Reset two-factor"
            danger
            onConfirm={async () => {
              await ok(session.api.DELETE('/api/v1/users/{id}/mfa', { params: { path: { id: user.id } } }));
              onChanged('Two-factor authentication was reset.');
            }}
          />
        </>
      ) : (
        <p>Off: this user signs in with one factor.</p>
      )}
    </section>
  );
}

function DeleteUser({ user }: { user: User }) {
  const { session, can } = useConsole();
  if (!can('users:write')) return null;
  return (
    <section className="card danger-zone" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete user</h2>
      <p>Deletes the account and ends its sessions. This cannot be undone.</p>
      <ConfirmButton
        label="Delete user"
        title={`Delete ${user.username}?`}
        question="The account and everything tied to it is deleted. This cannot be undone."
        confirmLabel="Delete for good"
        danger
        onConfirm={async () => {
          await ok(session.api.DELETE('/api/v1/users/{id}', { params: { path: { id: user.id } } }));
          navigate('/users');
        }}
      />
    </section>
  );
}
