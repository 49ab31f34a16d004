import { useRef, useEffect, useState, type FormEvent } from 'react';
import { ApiProblemError } from '@identity-task/client';
import { errorText, type MfaChallenge, type Session } from '../api';
import { ErrorMessage, Field } from '../ui';

type Step = { kind: 'password' } | { kind: 'mfa'; challenge: MfaChallenge; methods: string[] };

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
      const challenge = await session.signIn(String(form.get('login')), String(form.get('password')));
      if (!challenge) {
        await onSignedIn();
        return;
      }
      const methods = challenge.methods.length > 0 ? challenge.methods : ['totp'];
      setMethod(methods.includes('totp') ? 'totp' : 'recovery_code');
      setStep({ kind: 'mfa', challenge, methods });
    });
  };

  const submitCode = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (step.kind !== 'mfa') return;
    const form = new FormData(event.currentTarget);
    void run(async () => {
      try {
        await step.challenge.verify(method, String(form.get('code')).trim());
      } catch (error) {
        // A dead sign-in (expired, too many wrong codes): start again from the password.
        if (error instanceof ApiProblemError && error.status === 401) setStep({ kind: 'password' });
        throw error;
      }
      await onSignedIn();
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
