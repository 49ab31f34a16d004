import { existsSync } from 'node:fs';
import { config as dotenv } from 'dotenv';

/** Loads `.env` from the working directory if present; real environment variables win. */
export function loadEnvFile(path = '.env'): void {
  if (existsSync(path)) dotenv({ path, override: false, quiet: true });
}
