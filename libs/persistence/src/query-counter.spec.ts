import { Logger } from '@nestjs/common';
import { MetricsService } from '@app/core';
import { QueryCounter } from './query-counter';

describe('QueryCounter', () => {
  afterEach(() => jest.restoreAllMocks());

  const total = async (metrics: MetricsService) => (await metrics.registry.getSingleMetric('db_queries_total')!.get()).values[0]?.value ?? 0;

  it('counts every statement, from TypeORM or sent directly, and logs them only with DATABASE_LOG_QUERIES', async () => {
    const logged: string[] = [];
    jest.spyOn(Logger.prototype, 'debug').mockImplementation((message: unknown) => void logged.push(String(message)));
    const quiet = new MetricsService();
    new QueryCounter(quiet, { logQueries: false }).sent('SELECT 1');
    expect(await total(quiet)).toBe(1);
    expect(logged).toEqual([]);

    const verbose = new MetricsService();
    const counter = new QueryCounter(verbose, { logQueries: true });
    counter.sent('SELECT 2');
    counter.typeormLogger().logQuery('SELECT 3');
    expect(await total(verbose)).toBe(2);
    expect(logged).toEqual(['SELECT 2', 'SELECT 3']);
  });
});
