/**
 * Sealed fields: what a document holds at rest. Customer fields are sealed (encrypted)
 * on every write and opened on every read; fields ingest looks up by equality also get a
 * blind index beside them (`<field>Index`); identity keys are replaced by their blind
 * index; secret-named keys inside settings objects are sealed. Pure functions of a
 * keyring, used by the schema plugin (`plugin.ts`) and by the key rotation.
 */
import { Keyring } from './keyring';

export interface SealSpec {
  /** Paths of sealed strings (or arrays of strings); `a.b` reaches into subdocuments and arrays of them. */
  sealed: string[];
  /**
   * Top-level sealed paths with blind indexes at `<path>Index`: the terms a value is found
   * by (normalised; the last is the whole value, which is what a query is normalised to).
   */
  indexed?: Record<string, (v: string) => string[]>;
  /** Paths whose value is replaced by its blind index: found by equality, never read back. */
  hashed?: string[];
  /** Object paths in which every value under a secret-named key is sealed, at any depth. */
  secrets?: string[];
}

/** Setting names that hold credentials (also what the inbox API never returns). */
export const SECRET_SETTING = /token|secret|password|pass$|apiKey/i;

export const indexPath = (path: string) => `${path}Index`;

type Leaf = (v: unknown) => unknown;
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Applies `fn` to the value at `segments` below `v`, through arrays; returns the new value. */
function at(v: unknown, segments: string[], fn: Leaf): unknown {
  if (segments.length === 0) return fn(v);
  if (Array.isArray(v)) return v.map((x) => at(x, segments, fn));
  if (!isObj(v)) return v;
  const [head, ...rest] = segments as [string, ...string[]];
  if (!(head in v)) return v;
  const next = at(v[head], rest, fn);
  if (next !== v[head]) v[head] = next;
  return v;
}

const strings = (fn: (s: string) => string): Leaf => {
  const leaf: Leaf = (v) => (typeof v === 'string' ? fn(v) : Array.isArray(v) ? v.map(leaf) : v);
  return leaf;
};

function secretsIn(v: unknown, fn: (s: string) => string): unknown {
  if (!isObj(v)) return v;
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === 'string' && SECRET_SETTING.test(k)) v[k] = fn(x);
    else if (isObj(x)) secretsIn(x, fn);
  }
  return v;
}

export class FieldSealer {
  constructor(
    readonly keyring: Keyring,
    readonly spec: SealSpec,
  ) {}

  private readonly sealOne = (s: string) => (Keyring.isSealed(s) ? s : this.keyring.seal(s));
  private readonly openOne = (s: string) => (Keyring.isSealed(s) ? this.keyring.open(s) : s);
  private readonly hashOne = (s: string) => (Keyring.isIndex(s) ? s : this.keyring.index(s));

  indexOf(path: string, v: unknown): string[] {
    const terms = this.spec.indexed?.[path];
    if (!terms || typeof v !== 'string' || v === '') return [];
    return [...new Set(terms(Keyring.isSealed(v) ? this.keyring.open(v) : v))].map((t) =>
      this.keyring.index(t),
    );
  }

  /** The blind index a query value is matched by. */
  private queryIndex(path: string, v: string): string {
    const terms = this.spec.indexed?.[path]?.(v) ?? [v];
    return this.keyring.index(terms[terms.length - 1] ?? v);
  }

  /** Seals a whole document (a plain object about to be written), in place. */
  sealDoc(doc: Obj, fn: (s: string) => string = this.sealOne): Obj {
    for (const p of Object.keys(this.spec.indexed ?? {}))
      if (p in doc) doc[indexPath(p)] = this.indexOf(p, doc[p]);
    for (const p of this.spec.sealed) at(doc, p.split('.'), strings(fn));
    for (const p of this.spec.hashed ?? []) at(doc, p.split('.'), strings(this.hashOne));
    for (const p of this.spec.secrets ?? []) at(doc, p.split('.'), (v) => secretsIn(v, fn));
    return doc;
  }

  /** Opens a document read from the database, in place; its blind indexes are left out. */
  openDoc(doc: Obj): Obj {
    for (const p of this.spec.sealed) at(doc, p.split('.'), strings(this.openOne));
    for (const p of this.spec.secrets ?? []) at(doc, p.split('.'), (v) => secretsIn(v, this.openOne));
    for (const p of Object.keys(this.spec.indexed ?? {})) delete doc[indexPath(p)];
    return doc;
  }

  /** Re-seals every sealed value of a raw document under the active key; true when something changed. */
  resealDoc(doc: Obj): boolean {
    let changed = false;
    const fn = (s: string) => {
      const next = Keyring.isSealed(s) ? this.keyring.reseal(s) : this.keyring.seal(s);
      if (next !== s) changed = true;
      return next;
    };
    const before = JSON.stringify(Object.keys(this.spec.indexed ?? {}).map((p) => doc[indexPath(p)] ?? null));
    const hashedBefore = JSON.stringify((this.spec.hashed ?? []).map((p) => doc[p]));
    this.sealDoc(doc, fn);
    const after = JSON.stringify(Object.keys(this.spec.indexed ?? {}).map((p) => doc[indexPath(p)] ?? null));
    if (before !== after || hashedBefore !== JSON.stringify((this.spec.hashed ?? []).map((p) => doc[p])))
      changed = true;
    return changed;
  }

  /** Seals what an update writes: `$set`, `$setOnInsert`, bare fields, `$push` and `$addToSet`. */
  sealUpdate(update: Obj): Obj {
    for (const [op, body] of Object.entries(update)) {
      if (!op.startsWith('$')) {
        this.sealAssignment(update, op, body);
      } else if ((op === '$set' || op === '$setOnInsert') && isObj(body)) {
        for (const [k, v] of Object.entries(body)) this.sealAssignment(body, k, v);
      } else if ((op === '$push' || op === '$addToSet') && isObj(body)) {
        for (const [k, v] of Object.entries(body)) {
          if (isObj(v) && Array.isArray(v.$each)) v.$each = v.$each.map((x) => this.sealValueAt(k, x));
          else body[k] = this.sealValueAt(k, v);
        }
      }
    }
    return update;
  }

  private sealAssignment(target: Obj, key: string, value: unknown) {
    target[key] = this.sealValueAt(key, value);
    const path = bare(key);
    if (this.spec.indexed?.[path]) target[indexPath(path)] = this.indexOf(path, value);
  }

  /** The value written at `key` (an update path, or an array's path for one pushed element), sealed where the spec says. */
  private sealValueAt(key: string, value: unknown): unknown {
    const path = bare(key);
    const under = (p: string) => (p.startsWith(`${path}.`) ? p.slice(path.length + 1).split('.') : null);
    let v = value;
    for (const p of this.spec.sealed) {
      if (p === path) v = strings(this.sealOne)(v);
      else {
        const rest = under(p);
        if (rest) v = at(v, rest, strings(this.sealOne));
      }
    }
    for (const p of this.spec.hashed ?? []) if (p === path) v = strings(this.hashOne)(v);
    for (const p of this.spec.secrets ?? []) {
      if (p === path) v = secretsIn(v, this.sealOne);
      else if (path.startsWith(`${p}.`)) {
        const last = path.split('.').pop() ?? '';
        if (typeof v === 'string' && SECRET_SETTING.test(last)) v = this.sealOne(v);
        else v = secretsIn(v, this.sealOne);
      }
    }
    return v;
  }

  /** A query filter with equality on indexed or hashed paths turned into equality on their indexes. */
  rewriteFilter(filter: Obj): Obj {
    for (const [k, v] of Object.entries(filter)) {
      if ((k === '$or' || k === '$and' || k === '$nor') && Array.isArray(v)) {
        filter[k] = v.map((x) => (isObj(x) ? this.rewriteFilter(x) : x));
        continue;
      }
      if (this.spec.indexed?.[k]) {
        delete filter[k];
        filter[indexPath(k)] = v === null ? { $size: 0 } : this.matcher(k, v, (s) => this.queryIndex(k, s));
      } else if (this.spec.hashed?.includes(k)) {
        filter[k] = this.matcher(k, v, this.hashOne);
      } else if (this.spec.sealed.includes(k) && v !== null && !isObj(v)) {
        throw new SealedQuery(k);
      }
    }
    return filter;
  }

  private matcher(path: string, v: unknown, fn: (s: string) => string): unknown {
    if (v === null || v === undefined) return v;
    if (typeof v === 'string') return fn(v);
    if (isObj(v) && !(v instanceof RegExp)) {
      const out: Obj = {};
      for (const [op, x] of Object.entries(v)) {
        if ((op === '$in' || op === '$nin') && Array.isArray(x))
          out[op] = x.map((s: unknown) => (typeof s === 'string' ? fn(s) : s));
        else if (op === '$eq' || op === '$ne') out[op] = typeof x === 'string' ? fn(x) : x;
        else if (op === '$exists' || op === '$type') out[op] = x;
        else throw new SealedQuery(path);
      }
      return out;
    }
    throw new SealedQuery(path);
  }
}

/** A query that would need a sealed field's clear value (a pattern, a range): not possible. */
export class SealedQuery extends Error {
  constructor(path: string) {
    super(`${path} is encrypted at rest: it can only be matched by equality`);
  }
}

/** An update path without positional parts (`identities.$.address` → `identities.address`). */
const bare = (key: string) =>
  key
    .split('.')
    .filter((s) => !/^\d+$/.test(s) && !s.startsWith('$'))
    .join('.');
