import { AppConfig, loadConfig } from '@app/core';

/** What every command gets from the entry point: the settings (parsed once, on first use) and where to write. */
export interface CliContext {
  /** The environment the configuration is read from (the process's, with the CLI's own adjustments). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Parsed and validated on first use (commands that need no settings, like keys:generate, never parse). */
  config(): AppConfig;
  out(line: string): void;
}

export function cliContext(env: Record<string, string | undefined>, out: (line: string) => void): CliContext {
  let config: AppConfig | undefined;
  return { env, config: () => (config ??= loadConfig(env)), out };
}
