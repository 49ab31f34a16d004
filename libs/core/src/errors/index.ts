export * from './domain-error';
export * from './problem-details';
export * from './problem-details.filter';
export * from './error-codes';
