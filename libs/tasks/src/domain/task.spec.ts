import type { Permission } from '@app/kernel';
import { canChangeStatus, canEdit, canRead, canReadTasks, diff, mayApply, Task } from './task';
import { audienceOf, updateEventType } from './task-event';
import { keysetOf, parseSort } from './task-query';
import { testActor } from '../../../../test/support/actors';

const actor = testActor;

const OWN: Permission[] = ['tasks:read:own', 'tasks:write:own'];
const ANY: Permission[] = ['tasks:read:any', 'tasks:write:any'];

const task: Task = {
  id: '7d3f0f3e-2b1e-4f55-9f1a-0c8c2f9e0a11',
  title: 'T',
  description: null,
  status: 'todo',
  priority: 'medium',
  dueAt: null,
  ownerId: 'owner',
  assigneeId: 'assignee',
  version: 1,
  createdAt: new Date('2030-01-01T00:00:00.000Z'),
  updatedAt: new Date('2030-01-01T00:00:00.000Z'),
};

describe('task access rules', () => {
  const owner = actor('owner', OWN);
  const assignee = actor('assignee', OWN);
  const stranger = actor('stranger', OWN);
  const admin = actor('admin', ANY);
  const readOnlyAny = actor('auditor', ['tasks:read:any']);
  const nobody = actor('owner', []);

  it('owner and assignee read with :own, anyone with :any, nobody without a permission', () => {
    expect([owner, assignee, admin, readOnlyAny].map((a) => canRead(a, task))).toEqual([true, true, true, true]);
    expect(canRead(stranger, task)).toBe(false);
    expect(canRead(nobody, task)).toBe(false);
    expect(canReadTasks(nobody)).toBe(false);
  });

  it('only the owner (or :any) edits; the assignee changes the status only', () => {
    expect(canEdit(owner, task)).toBe(true);
    expect(canEdit(admin, task)).toBe(true);
    expect(canEdit(assignee, task)).toBe(false);
    expect(canEdit(readOnlyAny, task)).toBe(false);
    expect(canChangeStatus(assignee, task)).toBe(true);
    expect(canChangeStatus(stranger, task)).toBe(false);
    const status = diff(task, { status: 'done' });
    const title = diff(task, { status: 'done', title: 'X' });
    expect(mayApply(assignee, task, status)).toBe(true);
    expect(mayApply(assignee, task, title)).toBe(false);
    expect(mayApply(owner, task, title)).toBe(true);
    expect(mayApply(stranger, task, status)).toBe(false);
  });
});

describe('changes and events', () => {
  it('diff lists only fields that change, as API values', () => {
    expect(diff(task, { title: 'T', status: 'done', dueAt: new Date('2031-01-01T00:00:00.000Z'), assigneeId: null, description: undefined })).toEqual([
      { field: 'status', from: 'todo', to: 'done' },
      { field: 'dueAt', from: null, to: '2031-01-01T00:00:00.000Z' },
      { field: 'assigneeId', from: 'assignee', to: null },
    ]);
    expect(diff(task, { dueAt: null, title: 'T' })).toEqual([]);
  });

  it('a status change is task.status_changed, anything else task.updated', () => {
    expect(updateEventType(diff(task, { status: 'done', title: 'X' }))).toBe('task.status_changed');
    expect(updateEventType(diff(task, { title: 'X' }))).toBe('task.updated');
  });

  it('the audience is owner and assignees before and after, once each', () => {
    expect(audienceOf(task, { ...task, assigneeId: 'next' }).sort()).toEqual(['assignee', 'next', 'owner']);
    expect(audienceOf({ ownerId: 'me', assigneeId: 'me' })).toEqual(['me']);
  });
});

describe('sorting', () => {
  it('parses sort names', () => {
    expect(parseSort(undefined)).toEqual({ key: 'createdAt', descending: true });
    expect(parseSort('-priority')).toEqual({ key: 'priority', descending: true });
    expect(parseSort('dueAt')).toEqual({ key: 'dueAt', descending: false });
    expect(parseSort('title')).toBeUndefined();
  });

  it('keysets: rank for priority, infinity for no due date', () => {
    expect(keysetOf({ ...task, priority: 'urgent' }, 'priority')).toEqual({ value: 3, id: task.id });
    expect(keysetOf(task, 'dueAt')).toEqual({ value: 'infinity', id: task.id });
    expect(keysetOf(task, 'createdAt')).toEqual({ value: '2030-01-01T00:00:00.000Z', id: task.id });
  });
});
