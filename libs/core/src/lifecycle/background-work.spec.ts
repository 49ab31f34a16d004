import { Logger } from '@nestjs/common';
import { BackgroundWork } from './background-work';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('BackgroundWork', () => {
  let errors: string[];
  beforeEach(() => {
    errors = [];
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => void errors.push(String(message)));
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void errors.push(String(message)));
  });
  afterEach(() => jest.restoreAllMocks());

  it('starts the work after the caller returns, and tracks it until it settles', async () => {
    const work = new BackgroundWork();
    const seen: string[] = [];
    work.run('job', async () => {
      seen.push('ran');
    });
    seen.push('returned');
    expect(work.running).toBe(1);
    expect(await work.settled()).toBe(true);
    expect(seen).toEqual(['returned', 'ran']);
    expect(work.running).toBe(0);
  });

  it('logs a failure instead of leaving an unhandled rejection, and goes on', async () => {
    const work = new BackgroundWork();
    work.run('failing job', async () => {
      throw new Error('boom');
    });
    await work.settled();
    expect(errors).toEqual(['failing job failed: boom']);
    let ran = false;
    work.run('next', async () => {
      ran = true;
    });
    await work.settled();
    expect(ran).toBe(true);
  });

  it('runs pieces with the same key one after another in order, others alongside', async () => {
    const work = new BackgroundWork();
    const order: string[] = [];
    const piece = (name: string, ms: number) => async () => {
      order.push(`${name} start`);
      await tick(ms);
      order.push(`${name} end`);
    };
    work.run('a1', piece('a1', 30), 'a');
    work.run('a2', piece('a2', 0), 'a');
    work.run('b', piece('b', 0), 'b');
    await work.settled();
    expect(order.indexOf('a2 start')).toBeGreaterThan(order.indexOf('a1 end'));
    expect(order.indexOf('b end')).toBeLessThan(order.indexOf('a1 end'));
  });

  it('a failed piece does not stop the next one with its key', async () => {
    const work = new BackgroundWork();
    let second = false;
    work.run('first', () => Promise.reject(new Error('no')), 'k');
    work.run('second', async () => void (second = true), 'k');
    await work.settled();
    expect(second).toBe(true);
  });

  it('shutdown waits for running work; settled gives up after its time-out', async () => {
    const work = new BackgroundWork();
    let finished = false;
    work.run('slow', async () => {
      await tick(50);
      finished = true;
    });
    await work.onModuleDestroy();
    expect(finished).toBe(true);

    let release!: () => void;
    work.run('stuck', () => new Promise<void>((r) => (release = r)));
    await tick();
    expect(await work.settled(20)).toBe(false);
    release();
    expect(await work.settled()).toBe(true);
  });
});
