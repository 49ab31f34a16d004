import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from './app-config';

/** A namespace of the parsed configuration as a DI token: inject with `@Inject(httpConfig.KEY) cfg: HttpSettings`. */
export interface ConfigNamespace<K extends keyof AppConfig> {
  readonly KEY: `CONFIGURATION(${K})`;
  readonly name: K;
}

function namespace<K extends keyof AppConfig>(name: K): ConfigNamespace<K> {
  return { KEY: `CONFIGURATION(${name})`, name };
}

export const httpConfig = namespace('http');
export const databaseConfig = namespace('database');
export const authConfig = namespace('auth');
export const tasksConfig = namespace('tasks');
export const otpConfig = namespace('otp');
export const notificationsConfig = namespace('notifications');
export const storageConfig = namespace('storage');
export const providersConfig = namespace('providers');

const NAMESPACES = [httpConfig, databaseConfig, authConfig, tasksConfig, otpConfig, notificationsConfig, storageConfig, providersConfig];

export type HttpSettings = AppConfig['http'];
export type DatabaseSettings = AppConfig['database'];
export type AuthSettings = AppConfig['auth'];
export type TasksSettings = AppConfig['tasks'];
export type OtpSettings = AppConfig['otp'];
export type NotificationsSettings = AppConfig['notifications'];
export type StorageSettings = AppConfig['storage'];
export type ProvidersSettings = AppConfig['providers'];

/**
 * The configuration, parsed and validated once by the entry point (`readConfig`/`loadConfig`), handed
 * to the module graph as values: nothing below reads the environment (or the signing-keys file) again.
 */
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    const providers = NAMESPACES.map((ns) => ({ provide: ns.KEY, useValue: config[ns.name] }));
    return { module: AppConfigModule, global: true, providers, exports: providers.map((p) => p.provide) };
  }
}
