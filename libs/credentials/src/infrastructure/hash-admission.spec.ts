import { LoginBusyError } from '../domain/errors';
import { HashAdmission } from './argon2-password-hasher';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('HashAdmission', () => {
  it('runs at most `concurrency` at once, queues up to the limit, and sheds the rest at once', async () => {
    const admission = new HashAdmission(1, 1);
    const gate = deferred();
    const order: string[] = [];
    const first = admission.run(async () => {
      order.push('first');
      await gate.promise;
    });
    expect(admission.saturated).toBe(false);
    const second = admission.run(async () => void order.push('second'));
    expect(admission.saturated).toBe(true);
    await expect(admission.run(async () => 'third')).rejects.toBeInstanceOf(LoginBusyError);
    expect(order).toEqual(['first']);
    gate.resolve();
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
    expect(admission.inFlight).toBe(0);
  });

  it('drops a waiting caller whose client went away, before any work', async () => {
    const admission = new HashAdmission(1, 5);
    const gate = deferred();
    const first = admission.run(() => gate.promise);
    const controller = new AbortController();
    let ran = false;
    const waiting = admission.run(async () => void (ran = true), controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(LoginBusyError);
    gate.resolve();
    await first;
    expect(ran).toBe(false);
    await expect(admission.run(async () => 'next')).resolves.toBe('next');
  });
});
