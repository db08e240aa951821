/**
 * The schema plugin that keeps sealed fields sealed at rest and open in the code: writes
 * (create, insertMany, updates) are sealed, reads (documents and lean results) opened,
 * and query filters on looked-up fields matched by blind index. The keyring belongs to
 * the connection (`useKeyring`), so two gateways in one process may hold different keys.
 * Aggregations and the driver's own collections bypass it: they never read these fields.
 */
import type { Connection, Model, MongooseQueryMiddleware, Query, Schema } from 'mongoose';
import { Document } from 'mongoose';
import { FieldSealer, indexPath, type SealSpec } from './fields';
import { developmentKeyring, type Keyring } from './keyring';

const keyrings = new WeakMap<Connection, Keyring>();

/** The keyring every sealed model of this connection uses. */
export function useKeyring(db: Connection, keyring: Keyring): void {
  keyrings.set(db, keyring);
}

/** The development keyring on a connection opened outside the gateway (benchmarks, test set-up). */
export function withDevelopmentKeys(db: Connection): Connection {
  if (!keyrings.has(db)) useKeyring(db, developmentKeyring());
  return db;
}

export function keyringOf(db: Connection): Keyring {
  const k = keyrings.get(db);
  if (!k) throw new Error('this database connection has no keyring: customer data cannot be read or written');
  return k;
}

const FILTERED: MongooseQueryMiddleware[] = [
  'countDocuments',
  'deleteMany',
  'deleteOne',
  'distinct',
  'find',
  'findOne',
  'findOneAndDelete',
  'findOneAndReplace',
  'findOneAndUpdate',
  'replaceOne',
  'updateMany',
  'updateOne',
];
const UPDATES: MongooseQueryMiddleware[] = ['findOneAndUpdate', 'updateMany', 'updateOne'];
const READS: MongooseQueryMiddleware[] = [
  'find',
  'findOne',
  'findOneAndUpdate',
  'findOneAndDelete',
  'findOneAndReplace',
];

type Obj = Record<string, unknown>;

/** The sealer of a spec on a connection (one per connection and schema). */
function sealerFor(specSealers: WeakMap<Connection, FieldSealer>, spec: SealSpec, db: Connection) {
  let s = specSealers.get(db);
  if (!s) {
    s = new FieldSealer(keyringOf(db), spec);
    specSealers.set(db, s);
  }
  return s;
}

/** How each sealed schema seals a plain document for a model of it (see `sealForInsert`). */
const insertSealers = new WeakMap<Schema, (m: Model<unknown>, doc: Obj) => void>();

/**
 * Seals, in place, a plain document about to be inserted through the driver rather than
 * through mongoose (a batched insert); a model without sealed fields leaves it as it is.
 */
export function sealForInsert(model: Model<unknown>, doc: Obj): void {
  insertSealers.get(model.schema)?.(model, doc);
}

export function sealFields(schema: Schema, spec: SealSpec): void {
  const sealers = new WeakMap<Connection, FieldSealer>();
  const forModel = (m: Model<unknown>) => sealerFor(sealers, spec, m.db);
  const sealPlain = (m: Model<unknown>, doc: Obj) => void forModel(m).sealDoc(doc);
  insertSealers.set(schema, sealPlain);
  for (const p of Object.keys(spec.indexed ?? {}))
    schema.add({ [indexPath(p)]: { type: [String], default: [] } });

  schema.pre(FILTERED, function (this: Query<unknown, unknown>) {
    const s = forModel(this.model as Model<unknown>);
    this.setQuery(s.rewriteFilter({ ...this.getFilter() }));
  });
  schema.pre(UPDATES, function (this: Query<unknown, unknown>) {
    const update = this.getUpdate();
    if (update && !Array.isArray(update))
      this.setUpdate(forModel(this.model as Model<unknown>).sealUpdate({ ...update }));
  });
  schema.post(READS, function (this: Query<unknown, unknown>, res: unknown) {
    const s = forModel(this.model as Model<unknown>);
    const open = (d: unknown) => {
      // Hydrated documents were opened as they were initialised.
      if (d && typeof d === 'object' && !(d instanceof Document)) s.openDoc(d as Obj);
    };
    if (Array.isArray(res)) res.forEach(open);
    else open(res);
  });
  schema.pre('init', function (this: Document, raw: Obj) {
    forModel(this.constructor as Model<unknown>).openDoc(raw);
  });
  schema.pre('save', function (this: Document) {
    const s = forModel(this.constructor as Model<unknown>);
    const plain = this.toObject({ depopulate: true, virtuals: false, getters: false }) as Obj;
    s.sealDoc(plain);
    for (const p of touched(spec)) if (p in plain) this.set(p, plain[p]);
  });
  schema.post('save', function (this: Document) {
    const s = forModel(this.constructor as Model<unknown>);
    const plain = s.openDoc(this.toObject({ depopulate: true, virtuals: false, getters: false }) as Obj);
    // What the caller holds is the clear value again; the stored copy stays sealed.
    for (const p of touched(spec)) if (p in plain && !p.endsWith('Index')) this.set(p, plain[p]);
    for (const p of touched(spec)) this.unmarkModified(p);
  });
  schema.pre('insertMany', function (this: Model<unknown>, next: (err?: Error) => void, docs: unknown) {
    for (const d of Array.isArray(docs) ? docs : [docs])
      if (d && typeof d === 'object') sealPlain(this, d as Obj);
    next();
  });
}

/** The top-level paths a spec writes. */
function touched(spec: SealSpec): string[] {
  const top = (p: string) => p.split('.')[0] ?? p;
  return [
    ...new Set([
      ...spec.sealed.map(top),
      ...(spec.hashed ?? []).map(top),
      ...(spec.secrets ?? []).map(top),
      ...Object.keys(spec.indexed ?? {}).map(indexPath),
    ]),
  ];
}
