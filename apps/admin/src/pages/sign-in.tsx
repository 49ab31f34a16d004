import { useRef, useEffect, useState, type FormEvent } from 'react';
import { ApiError, COOKIE_MODE, errorText, type Session } from '../api';
import { ErrorMessage, Field } from '../ui';

type Step = { kind: 'password' } | { kind: 'mfa'; mfaToken: string; methods: string[] };

/**
 * Sign-in with a password, then — when the account has two-factor authentication on (403
 * MFA_REQUIRED) — a code from the authenticator app or a recovery code.
 */
export function SignIn({ session, onSignedIn, notice }: { session: Session; onSignedIn: () => Promise<void>; notice?: string }) {
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [error, setError] = useState<string | undefined>(notice);
  const [busy, setBusy] = useState(false);
  const [method, setMethod] = useState<'totp' | 'recovery_code'>('totp');
  const codeInput = useRef<HTMLInputElement>(null);
  useEffect(() => setError(notice), [notice]);
  useEffect(() => {
    if (step.kind === 'mfa') codeInput.current?.focus();
  }, [step.kind, method]);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const submitPassword = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void run(async () => {
      const { data, error: problem, response } = await session.anonymous.POST('/api/v1/auth/login', {
        body: { login: String(form.get('login')), password: String(form.get('password')) },
        headers: COOKIE_MODE,
      });
      if (response.ok && data) {
        session.accept(data);
        await onSignedIn();
        return;
      }
      const body = (problem ?? {}) as { code?: string; mfaToken?: string; methods?: string[] };
      if (response.status === 403 && body.code === 'MFA_REQUIRED' && body.mfaToken) {
        const methods = body.methods ?? ['totp'];
        setMethod(methods.includes('totp') ? 'totp' : 'recovery_code');
        setStep({ kind: 'mfa', mfaToken: body.mfaToken, methods });
        return;
      }
      throw new ApiError(describe(response.status, problem), response.status);
    });
  };

  const submitCode = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (step.kind !== 'mfa') return;
    const form = new FormData(event.currentTarget);
    void run(async () => {
      const { data, error: problem, response } = await session.anonymous.POST('/api/v1/auth/mfa/verify', {
        body: { mfaToken: step.mfaToken, method, code: String(form.get('code')).trim() },
        headers: COOKIE_MODE,
      });
      if (response.ok && data) {
        session.accept(data);
        await onSignedIn();
        return;
      }
      // A dead sign-in (expired, too many wrong codes): start again from the password.
      if (response.status === 401) setStep({ kind: 'password' });
      throw new ApiError(describe(response.status, problem), response.status);
    });
  };

  return (
    <main className="sign-in" id="main">
      <h1>Admin console</h1>
      {step.kind === 'password' ? (
        <form onSubmit={submitPassword} aria-label="Sign in">
          <h2>Sign in</h2>
          <Field label="Username, email or phone">{(p) => <input {...p} name="login" autoComplete="username" required autoFocus />}</Field>
          <Field label="Password">{(p) => <input {...p} name="password" type="password" autoComplete="current-password" required />}</Field>
          <ErrorMessage>{error}</ErrorMessage>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      ) : (
        <form onSubmit={submitCode} aria-label="Two-factor authentication">
          <h2>Two-factor authentication</h2>
          <p>{method === 'totp' ? 'Enter the 6-digit code from your authenticator app.' : 'Enter one of your recovery codes.'}</p>
          <Field label={method === 'totp' ? 'Authentication code' : 'Recovery code'}>
            {(p) => (
              <input
                {...p}
                ref={codeInput}
                key={method}
                name="code"
                autoComplete="one-time-code"
                inputMode={method === 'totp' ? 'numeric' : 'text'}
                pattern={method === 'totp' ? '[0-9]{6}' : undefined}
                required
              />
            )}
          </Field>
          <ErrorMessage>{error}</ErrorMessage>
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Checking…' : 'Verify'}
            </button>
            {step.methods.includes('recovery_code') && step.methods.includes('totp') && (
              <button type="button" onClick={() => setMethod(method === 'totp' ? 'recovery_code' : 'totp')}>
                {method === 'totp' ? 'Use a recovery code' : 'Use the authenticator app'}
              </button>
            )}
            <button type="button" onClick={() => setStep({ kind: 'password' })}>
              Start again
            </button>
          </div>
        </form>
      )}
    </main>
  );
}

function describe(status: number, problem: unknown): string {
  const body = (problem ?? {}) as { detail?: string; attemptsLeft?: number };
  const base = body.detail ?? `The service answered ${status}.`;
  return typeof body.attemptsLeft === 'number' ? `${base} Attempts left: ${body.attemptsLeft}.` : base;
}
