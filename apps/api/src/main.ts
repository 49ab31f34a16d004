import 'reflect-metadata';
import { ConfigurationError, loadEnvFile, readConfig } from '@app/core';

async function main(): Promise<void> {
  loadEnvFile();
  const { config, problems } = readConfig(process.env);
  if (problems.length > 0) throw new ConfigurationError(problems);
  if (config.database.url === undefined) {
    // Checked before the application is built, so that what the operator must fix is said plainly.
    const { prepareEmbeddedPostgres } = await import('@app/persistence');
    await prepareEmbeddedPostgres(config.database.dataDir, (m) => process.stdout.write(`${m}\n`));
  }
  // Imported after the configuration is known to be valid, so a bad setting is reported plainly.
  const { createApp } = await import('./create-app');
  const { installSignalHandlers } = await import('./graceful-shutdown');
  const app = await createApp({ config });
  installSignalHandlers(app, { delayMs: config.http.shutdownDelayMs, timeoutMs: config.http.shutdownTimeoutMs });
  await app.listen({ port: config.http.port, host: config.http.host });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  new (await import('@nestjs/common')).Logger('Bootstrap').log(`Listening on http://localhost:${port} — API docs at /docs`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigurationError) {
    process.stderr.write(`Refusing to start. ${error.message}\n`);
  } else if (error instanceof Error && error.name === 'EmbeddedPostgresError') {
    // Something the operator has to fix (see libs/persistence/src/embedded-postgres.ts): one sentence.
    process.stderr.write(`Cannot start the embedded Postgres. ${error.message}\n`);
  } else {
    // With what it wraps: "the database is unavailable" alone would hide why (refused, wrong password…).
    let text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    for (let cause = (error as { cause?: unknown }).cause, depth = 0; cause !== undefined && depth < 5; cause = (cause as { cause?: unknown }).cause, depth += 1) {
      text += `\nCaused by: ${cause instanceof Error ? cause.message : String(cause)}`;
    }
    process.stderr.write(`Failed to start: ${text}\n`);
  }
  process.exit(1);
});
