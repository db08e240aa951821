/**
 * Brings every sealed collection up to the active key: values still in clear (data written
 * before encryption) are sealed and indexed, values sealed with an older key re-sealed
 * (only their data key is re-sealed). It reads and writes the raw documents, one at a time
 * and only when something changed, each write conditional on the document not having
 * changed meanwhile (a skipped one is counted; run again), so it can run while gateways serve.
 */
import type { Connection, Model } from 'mongoose';
import type { Logger } from 'pino';
import { isDuplicateKey } from '../domain/models';
import { FieldSealer, indexPath, type SealSpec } from './fields';
import type { Keyring } from './keyring';
import { contactSeal, identitySeal, inboxSeal, messageSeal } from './specs';

type Obj = Record<string, unknown>;

/** The sealed collections, by the model that owns each. */
const SEALED: [string, SealSpec][] = [
  ['Contact', contactSeal],
  ['ContactIdentity', identitySeal],
  ['Inbox', inboxSeal],
  ['Message', messageSeal],
];

const topPaths = (spec: SealSpec) => [
  ...new Set(
    [...spec.sealed, ...(spec.hashed ?? []), ...(spec.secrets ?? [])]
      .map((p) => p.split('.')[0] ?? p)
      .concat(Object.keys(spec.indexed ?? {}).map(indexPath)),
  ),
];

export interface RotationReport {
  /** Documents rewritten, by model. */
  rewritten: Record<string, number>;
  /** Documents skipped because they changed while being rewritten (the next run takes them). */
  raced: number;
}

export async function resealAll(db: Connection, keyring: Keyring, logger: Logger): Promise<RotationReport> {
  const report: RotationReport = { rewritten: {}, raced: 0 };
  for (const [name, spec] of SEALED) {
    const model = db.models[name] as Model<unknown> | undefined;
    if (!model) continue;
    const sealer = new FieldSealer(keyring, spec);
    const paths = topPaths(spec);
    const projection = { ...Object.fromEntries(paths.map((p) => [p, 1])), updatedAt: 1 };
    let rewritten = 0;
    for await (const raw of model.collection.find({}, { projection })) {
      const doc = raw as Obj;
      const before = Object.fromEntries(paths.map((p) => [p, structuredClone(doc[p])]));
      if (!sealer.resealDoc(doc)) continue;
      const set: Obj = {};
      // Written only if unchanged meanwhile: its update time, and the clear or sealed strings read.
      const unchanged: Obj = { _id: doc._id, ...(doc.updatedAt ? { updatedAt: doc.updatedAt } : {}) };
      for (const p of paths) {
        if (doc[p] === undefined || JSON.stringify(before[p] ?? null) === JSON.stringify(doc[p])) continue;
        set[p] = doc[p];
        if (typeof before[p] === 'string') unchanged[p] = before[p];
      }
      if (Object.keys(set).length === 0) continue;
      const res = await model.collection.updateOne(unchanged, { $set: set });
      if (res.matchedCount === 1) rewritten++;
      else report.raced++;
    }
    report.rewritten[name] = rewritten;
    if (rewritten > 0)
      logger.info({ model: name, rewritten, keyId: keyring.activeId }, 'customer data sealed');
  }
  return report;
}

const STATE = 'privacy_state';

/**
 * At start: seals what an earlier version stored in clear, once per database (a marker
 * records it). Values sealed with older keys stay readable; re-sealing them is the
 * rotation command's job.
 */
export async function sealClearData(db: Connection, keyring: Keyring, logger: Logger): Promise<void> {
  const state = db.collection<{ _id: string; at: Date; keyId: string }>(STATE);
  if (await state.findOne({ _id: 'sealed' })) return;
  const report = await resealAll(db, keyring, logger);
  try {
    await state.updateOne(
      { _id: 'sealed' },
      { $set: { at: new Date(), keyId: keyring.activeId } },
      { upsert: true },
    );
  } catch (err) {
    // Gateways starting together: another one recorded the pass first.
    if (!isDuplicateKey(err)) throw err;
  }
  logger.info({ report }, 'stored customer data is sealed at rest');
}
