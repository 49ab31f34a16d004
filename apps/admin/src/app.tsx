import { useCallback, useEffect, useMemo, useState } from 'react';
import { errorText, ok, Session } from './api';
import { Applications } from './pages/applications';
import { AuditLog } from './pages/audit';
import { Notifications } from './pages/notifications';
import { Roles } from './pages/roles';
import { SignIn } from './pages/sign-in';
import { UserDetail } from './pages/user-detail';
import { Users } from './pages/users';
import { Link, navigate, useLocation } from './router';
import { ConsoleProvider, isOperator, permissionsOf, useConsole, type ConsoleContext, type Operator } from './session';
import { ErrorMessage, Loading } from './ui';

type State = { phase: 'starting' } | { phase: 'signed-out'; notice?: string } | { phase: 'signed-in'; operator: Operator };

const PAGES = [
  { path: '/users', label: 'Users' },
  { path: '/roles', label: 'Roles' },
  { path: '/applications', label: 'Applications' },
  { path: '/audit', label: 'Audit log' },
  { path: '/notifications', label: 'Notifications' },
];

export function App() {
  const session = useMemo(() => new Session(), []);
  const [state, setState] = useState<State>({ phase: 'starting' });

  /** After a sign-in or a refresh: who is this, and may they use the console? */
  const enter = useCallback(async () => {
    const [user, permissions] = await Promise.all([ok(session.api.GET('/api/v1/users/me')), permissionsOf(session)]);
    if (!isOperator(permissions)) {
      await session.signOut();
      setState({ phase: 'signed-out', notice: `${user.username} has no administrator permissions: this console is for operators who hold users:read, roles:read, audit:read, notifications:read or applications:write.` });
      return;
    }
    setState({ phase: 'signed-in', operator: { user, permissions } });
  }, [session]);

  useEffect(() => {
    // A reload: the session goes on if the refresh token is still good.
    session
      .resume()
      .then((signedIn: boolean) => (signedIn ? enter() : setState({ phase: 'signed-out' })))
      .catch((error: unknown) => setState({ phase: 'signed-out', notice: errorText(error) }));
    return session.onChange(() => {
      if (!session.signedIn) setState((s) => (s.phase === 'signed-in' ? { phase: 'signed-out', notice: 'Your session has ended: please sign in again.' } : s));
    });
  }, [session, enter]);

  if (state.phase === 'starting') {
    return (
      <main id="main">
        <Loading what="the console" />
      </main>
    );
  }
  if (state.phase === 'signed-out') {
    return <SignIn session={session} notice={state.notice} onSignedIn={enter} />;
  }
  const context: ConsoleContext = {
    session,
    operator: state.operator,
    can: (permission) => state.operator.permissions.has(permission),
    signOut: async () => {
      await session.signOut().catch(() => undefined);
      setState({ phase: 'signed-out' });
      navigate('/', { replace: true });
    },
  };
  return (
    <ConsoleProvider value={context}>
      <Shell />
    </ConsoleProvider>
  );
}

function Shell() {
  const location = useLocation();
  const path = location.path;
  useEffect(() => {
    if (path === '/' || path === '') navigate('/users', { replace: true });
  }, [path]);
  const page = PAGES.find((p) => path === p.path || path.startsWith(`${p.path}/`));
  useEffect(() => {
    document.title = `${page?.label ?? 'Admin'} — Admin console`;
  }, [page]);
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <Header current={page?.path} />
      <main id="main" tabIndex={-1}>
        <Route path={path} />
      </main>
    </>
  );
}

function Header({ current }: { current?: string }) {
  return (
    <header className="top">
      <span className="brand">Admin console</span>
      <nav aria-label="Sections">
        <ul>
          {PAGES.map((p) => (
            <li key={p.path}>
              <Link to={p.path} aria-current={current === p.path ? 'page' : undefined}>
                {p.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Account />
    </header>
  );
}

function Account() {
  const { operator, signOut } = useConsole();
  const [error, setError] = useState<string>();
  return (
    <div className="account">
      <span>
        Signed in as <strong>{operator.user.username}</strong>
      </span>
      <button type="button" onClick={() => signOut().catch((e: unknown) => setError(errorText(e)))}>
        Sign out
      </button>
      <ErrorMessage>{error}</ErrorMessage>
    </div>
  );
}

function Route({ path }: { path: string }) {
  const userMatch = /^\/users\/([0-9a-f-]{36})$/i.exec(path);
  if (userMatch) return <UserDetail id={userMatch[1]} />;
  switch (path) {
    case '/':
    case '/users':
      return <Users />;
    case '/roles':
      return <Roles />;
    case '/applications':
      return <Applications />;
    case '/audit':
      return <AuditLog />;
    case '/notifications':
      return <Notifications />;
    default:
      return (
        <section>
          <h1>Page not found</h1>
          <p>
            There is no page at <code>{path}</code>. <Link to="/users">Go to the users</Link>.
          </p>
        </section>
      );
  }
}
