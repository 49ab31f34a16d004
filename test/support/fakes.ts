import type { AuditLog } from '@app/audit';
import type { UnitOfWork } from '@app/persistence';

/**
 * In-memory stand-ins for the ports use cases talk to, for the unit tier (no database). They keep
 * just enough state to check what a use case did; repositories are faked per test where their rules
 * matter.
 */

/** `run` runs the work; `afterCommit` callbacks run once the outermost `run` succeeds, never after a failure. */
export function inlineUnitOfWork(): UnitOfWork & { commits: number; rollbacks: number } {
  let depth = 0;
  let pending: (() => unknown)[] = [];
  const uow = {
    commits: 0,
    rollbacks: 0,
    async run<T>(work: (manager: never) => Promise<T>): Promise<T> {
      depth += 1;
      try {
        const result = await work(undefined as never);
        if (depth === 1) {
          uow.commits += 1;
          const callbacks = pending;
          pending = [];
          for (const callback of callbacks) await callback();
        }
        return result;
      } catch (error) {
        if (depth === 1) {
          uow.rollbacks += 1;
          pending = [];
        }
        throw error;
      } finally {
        depth -= 1;
      }
    },
    async afterCommit(callback: () => unknown): Promise<void> {
      if (depth === 0) await callback();
      else pending.push(callback);
    },
  };
  return uow as unknown as UnitOfWork & { commits: number; rollbacks: number };
}

export interface RecordedAuditEvent {
  type: string;
  actorId: string | null;
  subjectId: string | null;
  data?: Record<string, unknown>;
}

/** The audit port, recording what would be written. */
export function recordingAudit(): AuditLog & { events: RecordedAuditEvent[] } {
  const events: RecordedAuditEvent[] = [];
  const record = async (event: RecordedAuditEvent) => void events.push(event);
  return { events, record, recordNow: record } as unknown as AuditLog & { events: RecordedAuditEvent[] };
}
