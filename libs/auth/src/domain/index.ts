export * from './errors';
export * from './password-policy';
export * from './ports';
export * from './session';
export * from './refresh-token-crypto';
