export * from './client-address';
export * from './gcra';
export * from './rate-limiter';
export * from './rate-limit.guard';
