export * from './validation';
export * from './api-docs';
export * from './request-context';
export * from './access-metadata';
export * from './password-validators';
export * from './input-limits';
export * from './date-range';
export * from './api-path';
