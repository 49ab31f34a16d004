import { eventually } from '../support/eventually';
import { startTestApp } from '../support/test-app';

describe('the cleanup job (@nestjs/schedule, CLEANUP_INTERVAL)', () => {
  it('runs by itself every CLEANUP_INTERVAL seconds', async () => {
    const t = await startTestApp({ env: { CLEANUP_INTERVAL: '1' } });
    const runs = async () => Number(/^cleanup_runs_total\{outcome="completed"\} (\d+)/m.exec(await (await fetch(`${t.baseUrl}/metrics`)).text())?.[1] ?? 0);
    try {
      await eventually('two scheduled cleanup runs', async () => (await runs()) >= 2, 30_000);
    } finally {
      await t.close();
    }
  });
});
