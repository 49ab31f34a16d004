import { Admission } from './admission';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('Admission', () => {
  it('runs at most `concurrency` jobs, queues at most `queueLimit`, refuses the rest at once, in order', async () => {
    const admission = new Admission(2, 2);
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    let peak = 0;
    const job = (i: number) => async () => {
      started.push(i);
      peak = Math.max(peak, admission.inFlight);
      await gates[i].promise;
      return i;
    };
    const busy = () => new Error('busy');
    const runs = gates.map((_, i) => admission.run(job(i), busy));
    await expect(runs[4]).rejects.toThrow('busy');
    expect(started).toEqual([0, 1]);
    expect(admission.queued).toBe(2);
    gates[1].resolve();
    await expect(runs[1]).resolves.toBe(1);
    expect(started).toEqual([0, 1, 2]);
    gates[0].resolve();
    gates[2].resolve();
    gates[3].resolve();
    await expect(Promise.all(runs.slice(0, 4))).resolves.toEqual([0, 1, 2, 3]);
    expect(started).toEqual([0, 1, 2, 3]);
    expect(peak).toBeLessThanOrEqual(2);
    expect(admission.inFlight).toBe(0);
    expect(admission.queued).toBe(0);
  });

  it('frees the slot when a job fails', async () => {
    const admission = new Admission(1, 0);
    await expect(admission.run(() => Promise.reject(new Error('boom')), () => new Error('busy'))).rejects.toThrow('boom');
    await expect(admission.run(async () => 'ok', () => new Error('busy'))).resolves.toBe('ok');
  });
});
