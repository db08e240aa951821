/** Process entry point: reads the environment (and a `.env` file) once, starts the gateway, stops it cleanly on SIGINT/SIGTERM. */
import path from 'node:path';
import { createApp } from './app';
import { ConfigError, loadConfig, readEnvFile } from './config';

async function main(): Promise<void> {
  // A `.env` in the working directory fills in what the environment does not set.
  const config = loadConfig({ ...readEnvFile(path.resolve('.env')), ...process.env });
  const app = await createApp(config);
  // A net, not a mechanism: every promise is handled where it is made; one that is not is a defect to log.
  process.on('unhandledRejection', (err: unknown) => app.logger.error({ err }, 'unhandled rejection'));
  await app.start();
  const stop = (signal: string) => {
    app.logger.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
