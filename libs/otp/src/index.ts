export * from './otp.module';
export * from './domain/otp';
export * from './domain/ports';
export * from './otp.entities';
