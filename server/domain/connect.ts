/**
 * Opens the gateway's database: one connection (majority, journaled writes; a bounded
 * pool) with the keyring that seals customer data, every model registered on it,
 * indexes built, stored data brought up to date (clear customer data sealed),
 * and an error handler from the moment it exists.
 */
import mongoose, { type Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { continueNumbering } from '../ingest/conversations';
import { useKeyring } from '../privacy/plugin';
import { sealClearData } from '../privacy/rotation';
import { migrateLegacyClocks } from '../sla/migrate';
import { markTimed } from '../storage/timed';
import { ensureIndexes, registerModels, type Models } from './models';

export async function openDatabase(
  config: Config,
  logger: Logger,
  /** Told of every command sent (the driver's command monitoring), e.g. to count them. */
  onCommand?: (command: string) => void,
): Promise<{ db: Connection; models: Models }> {
  // A stack trace captured on every query costs CPU on the hot path; errors keep their own.
  mongoose.set('skipOriginalStackTraces', true);
  const db = mongoose.createConnection(config.mongoUrl, {
    writeConcern: { w: 'majority', j: true },
    serverSelectionTimeoutMS: 5000,
    maxPoolSize: config.mongoMaxPoolSize,
    monitorCommands: onCommand !== undefined,
  });
  if (onCommand)
    db.getClient().on('commandStarted', (e) =>
      onCommand(`${e.commandName}:${String(e.command[e.commandName])}`),
    );
  db.on('error', (err: unknown) => logger.error({ err }, 'database connection error'));
  await db.asPromise();
  useKeyring(db, config.keyring);
  if (config.keyring.development)
    logger.warn(
      'customer data is sealed with the published development keys: set DATA_KEYS and DATA_INDEX_KEY',
    );
  const models = registerModels(db);
  await ensureIndexes(models);
  await sealClearData(db, config.keyring, logger);
  await migrateLegacyClocks(models, logger);
  for (const model of [models.Conversation, models.FollowUpTask]) await markTimed(model);
  await continueNumbering(models);
  return { db, models };
}
