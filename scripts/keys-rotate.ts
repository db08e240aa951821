/**
 * `npm run keys:rotate`: re-seals every customer field stored under an older key (and seals
 * anything still in clear) with the active DATA_KEY_ID. Safe while gateways run; run it
 * after making a new key active, then drop the old key from DATA_KEYS.
 */
import mongoose from 'mongoose';
import { loadConfig, readEnvFile } from '../server/config';
import { registerModels } from '../server/domain/models';
import { createLogger } from '../server/observability/logger';
import { useKeyring } from '../server/privacy/plugin';
import { resealAll } from '../server/privacy/rotation';

async function main() {
  const config = loadConfig({ ...readEnvFile('.env'), ...process.env });
  const logger = createLogger(config.logLevel);
  const db = await mongoose.createConnection(config.mongoUrl, { serverSelectionTimeoutMS: 5000 }).asPromise();
  try {
    useKeyring(db, config.keyring);
    registerModels(db);
    const report = await resealAll(db, config.keyring, logger);
    process.stdout.write(`${JSON.stringify({ activeKey: config.keyring.activeId, ...report })}\n`);
    if (report.raced > 0) process.exitCode = 2;
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`keys:rotate failed: ${(err as Error).message}\n`);
  process.exit(1);
});
