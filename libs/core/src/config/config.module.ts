import { Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigType, registerAs } from '@nestjs/config';
import { ConfigurationError, readConfig } from './app-config';

/** Typed namespaces; inject with `@Inject(httpConfig.KEY) cfg: HttpSettings`. */
export const httpConfig = registerAs('http', () => readConfig(process.env).config.http);
export const databaseConfig = registerAs('database', () => readConfig(process.env).config.database);
export const authConfig = registerAs('auth', () => readConfig(process.env).config.auth);
export const tasksConfig = registerAs('tasks', () => readConfig(process.env).config.tasks);
export const otpConfig = registerAs('otp', () => readConfig(process.env).config.otp);
export const notificationsConfig = registerAs('notifications', () => readConfig(process.env).config.notifications);
export const storageConfig = registerAs('storage', () => readConfig(process.env).config.storage);

export type HttpSettings = ConfigType<typeof httpConfig>;
export type DatabaseSettings = ConfigType<typeof databaseConfig>;
export type AuthSettings = ConfigType<typeof authConfig>;
export type TasksSettings = ConfigType<typeof tasksConfig>;
export type OtpSettings = ConfigType<typeof otpConfig>;
export type NotificationsSettings = ConfigType<typeof notificationsConfig>;
export type StorageSettings = ConfigType<typeof storageConfig>;

/**
 * Validates the environment once at boot (every problem reported together) and exposes the typed
 * namespaces globally.
 */
@Global()
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      // `.env` is loaded by the entry points (apps/*/main.ts, ormconfig.ts) before anything reads config.
      ignoreEnvFile: true,
      load: [httpConfig, databaseConfig, authConfig, storageConfig, otpConfig, notificationsConfig, tasksConfig],
      validate: (raw: Record<string, unknown>) => {
        const env = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v === undefined ? undefined : String(v)]));
        const { problems } = readConfig(env);
        if (problems.length > 0) throw new ConfigurationError(problems);
        return raw;
      },
    }),
  ],
})
export class AppConfigModule {}
