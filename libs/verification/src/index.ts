export * from './verification.module';
export * from './application/otp-flows.use-cases';
export * from './application/email-verification.use-cases';
