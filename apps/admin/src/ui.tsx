import { Component, useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { errorText } from './api';

/** A value loaded from the API: loading, failed (with the problem's words) or there; `reload()` fetches again. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): { data?: T; error?: string; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ data: s.data, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error: errorText(error), loading: false }),
    );
    return () => {
      live = false;
    };
    // `load` is a new closure every render: what it reads is listed in `deps`.
  }, [...deps, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { ...state, reload };
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}

export function ErrorMessage({ children }: { children?: ReactNode }) {
  if (!children) return null;
  return (
    <p className="error" role="alert">
      {children}
    </p>
  );
}

export function Notice({ children }: { children?: ReactNode }) {
  if (!children) return null;
  return (
    <p className="notice" role="status">
      {children}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** A labelled form field: the label is tied to the control, a hint is read with it. */
export function Field({ label, hint, children }: { label: string; hint?: string; children: (props: { id: string; 'aria-describedby'?: string }) => ReactNode }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-describedby': hintId })}
      {hint && (
        <small id={hintId} className="hint">
          {hint}
        </small>
      )}
    </div>
  );
}

/**
 * A button that asks first, in a modal dialog (the browser's <dialog>: focus moves to Cancel, Escape
 * cancels, focus returns to the button). `onConfirm` errors are shown in the dialog.
 */
export function ConfirmButton({
  label,
  name,
  title,
  question,
  confirmLabel,
  danger,
  onConfirm,
  className,
}: {
  label: string;
  /** The button's accessible name when the visible label alone is ambiguous (one such button a row). */
  name?: string;
  title: string;
  question: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<void>;
  className?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const titleId = useId();
  const open = () => {
    setError(undefined);
    dialog.current?.showModal();
    // The safe answer has the focus (showModal would pick the first button, the confirming one).
    cancel.current?.focus();
  };
  const close = () => dialog.current?.close();
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      close();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className={className ?? (danger ? 'danger' : undefined)} onClick={open} aria-label={name}>
        {label}
      </button>
      <dialog ref={dialog} aria-labelledby={titleId}>
        <h2 id={titleId}>{title}</h2>
        <p>{question}</p>
        <ErrorMessage>{error}</ErrorMessage>
        <div className="actions">
          <button type="button" className={danger ? 'danger' : 'primary'} onClick={confirm} disabled={busy}>
            {busy ? 'Working…' : confirmLabel}
          </button>
          <button type="button" onClick={close} ref={cancel}>
            Cancel
          </button>
        </div>
      </dialog>
    </>
  );
}

/**
 * Keyset paging: the API gives an opaque `nextCursor`. The page's cursor is in the URL (a reload or a
 * shared link shows the same page); the cursors of the pages before it are remembered for "Previous page".
 */
export function Pager({ nextCursor, cursor, go }: { nextCursor: string | null | undefined; cursor?: string; go: (cursor: string | undefined) => void }) {
  const stack = useRef<string[]>([]);
  if (cursor === undefined) stack.current = [];
  if (cursor === undefined && !nextCursor) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={cursor === undefined} onClick={() => go(stack.current.pop() || undefined)}>
        Previous page
      </button>
      <button
        type="button"
        disabled={!nextCursor}
        onClick={() => {
          if (!nextCursor) return;
          stack.current.push(cursor ?? '');
          go(nextCursor);
        }}
      >
        Next page
      </button>
    </nav>
  );
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * A render error anywhere below shows what went wrong, in words, with a way on — never a blank page.
 * (React unmounts the whole tree on an error no boundary catches.)
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error?: Error }> {
  override state: { error?: Error } = {};
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <main id="main">
        <h1>Something went wrong</h1>
        <p role="alert" className="error">
          This page failed: {this.state.error.message}
        </p>
        <p>
          <a href="/admin/">Open the console again</a>
        </p>
      </main>
    );
  }
}

/** A form's submit button, and Cancel when the form can be dismissed. */
export function FormActions({ submit, busy, onCancel }: { submit: string; busy: boolean; onCancel?: () => void }) {
  return (
    <div className="actions">
      <button type="submit" className="primary" disabled={busy}>
        {submit}
      </button>
      {onCancel && (
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}
