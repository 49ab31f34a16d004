import type { Actor } from '@app/kernel';
import type { UnitOfWork } from '@app/persistence';
import { TaskEditForbiddenError, TaskNotFoundError, VersionConflictError } from '../domain/errors';
import { TaskEventLog, TaskRepository } from '../domain/ports';
import { Task, TaskFields } from '../domain/task';
import { NewTaskEvent, TaskEvent } from '../domain/task-event';
import { UpdateTaskUseCase } from './update-task.use-case';
import { testActor } from '../../../../test/support/actors';

const actor = testActor;

/** In-memory tasks; `interfere` simulates a concurrent writer committing just before our update. */
class FakeTasks extends TaskRepository {
  task: Task = {
    id: 't1',
    title: 'T',
    description: null,
    status: 'todo',
    priority: 'medium',
    dueAt: null,
    ownerId: 'owner',
    assigneeId: 'assignee',
    version: 1,
    createdAt: new Date(0),
    updatedAt: new Date(0),
  };
  interfere = 0;

  async findVisible(a: Actor, id: string) {
    const t = this.task;
    return id === t.id && [t.ownerId, t.assigneeId].includes(a.userId) ? { ...t } : null;
  }
  async list() {
    return [];
  }
  async insert(): Promise<Task> {
    throw new Error('not used');
  }
  async updateIfVersion(id: string, version: number, changes: Partial<TaskFields>) {
    if (this.interfere > 0) {
      this.interfere -= 1;
      this.task = { ...this.task, priority: 'urgent', version: this.task.version + 1 };
    }
    if (id !== this.task.id || version !== this.task.version) return null;
    this.task = { ...this.task, ...changes, version: version + 1 };
    return { ...this.task };
  }
  async deleteIfVersion() {
    return false;
  }
}

class FakeEvents extends TaskEventLog {
  appended: NewTaskEvent[] = [];
  async append(e: NewTaskEvent): Promise<TaskEvent> {
    this.appended.push(e);
    return { ...e, id: this.appended.length, at: new Date() };
  }
  async history() {
    return [];
  }
  async since() {
    return [];
  }
}

describe('UpdateTaskUseCase', () => {
  let tasks: FakeTasks;
  let events: FakeEvents;
  let update: UpdateTaskUseCase;
  beforeEach(() => {
    tasks = new FakeTasks();
    events = new FakeEvents();
    const uow = { run: <T>(work: () => Promise<T>) => work() } as unknown as UnitOfWork;
    update = new UpdateTaskUseCase(uow, tasks, events);
  });

  it('applies the change, bumps the version and logs the changed fields', async () => {
    const t = await update.execute(actor('owner'), 't1', { title: 'New', status: 'todo' });
    expect(t).toMatchObject({ title: 'New', version: 2 });
    expect(events.appended).toHaveLength(1);
    expect(events.appended[0]).toMatchObject({ type: 'task.updated', actorId: 'owner', changes: [{ field: 'title', from: 'T', to: 'New' }] });
  });

  it('with If-Match, a lost race is a VersionConflictError and nothing is logged', async () => {
    tasks.interfere = 1;
    await expect(update.execute(actor('owner'), 't1', { title: 'New' }, [1])).rejects.toBeInstanceOf(VersionConflictError);
    expect(events.appended).toEqual([]);
    expect(tasks.task).toMatchObject({ title: 'T', priority: 'urgent', version: 2 });
  });

  it('a stale If-Match is refused before anything is written', async () => {
    await expect(update.execute(actor('owner'), 't1', { title: 'New' }, [7])).rejects.toBeInstanceOf(VersionConflictError);
    expect(tasks.task.version).toBe(1);
  });

  it('without If-Match, a lost race re-reads and keeps both changes', async () => {
    tasks.interfere = 1;
    const t = await update.execute(actor('owner'), 't1', { title: 'New' });
    expect(t).toMatchObject({ title: 'New', priority: 'urgent', version: 3 });
    expect(events.appended).toHaveLength(1);
  });

  it('the assignee may change the status only; a stranger gets not-found', async () => {
    await expect(update.execute(actor('assignee'), 't1', { status: 'done' })).resolves.toMatchObject({ status: 'done' });
    expect(events.appended[0].type).toBe('task.status_changed');
    await expect(update.execute(actor('assignee'), 't1', { title: 'X' })).rejects.toBeInstanceOf(TaskEditForbiddenError);
    await expect(update.execute(actor('stranger'), 't1', { status: 'todo' })).rejects.toBeInstanceOf(TaskNotFoundError);
  });
});
