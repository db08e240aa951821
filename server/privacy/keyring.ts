/**
 * The keyring: envelope encryption of customer data with keys from the environment.
 * Every value gets a fresh data key (AES-256-GCM) that is itself sealed with the active
 * key-encryption key; the result records that key's id, so old values stay readable while
 * keys rotate and rotation only has to re-seal the small data key. Blind indexes (HMAC
 * with a separate index key) let equality lookups find a value without storing it.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/** Sealed values look like `sb1.<key id>.<sealed data key>.<sealed value>` (base64url parts). */
const SEALED = 'sb1.';
/** Blind indexes look like `bi1.<HMAC>`: never a legacy clear value (those hold no dot-prefixed tag). */
const INDEXED = 'bi1.';
const IV = 12;
const TAG = 16;

export class KeyringError extends Error {}

export interface KeyringSpec {
  /** Key-encryption keys by id (32 bytes each). */
  keys: Map<string, Buffer>;
  /** The id new values are sealed with. */
  activeId: string;
  /** The blind-index key (32 bytes), kept apart from the encryption keys. */
  indexKey: Buffer;
  /** True for the documented development keys (the gateway warns; production refuses them). */
  development?: boolean;
}

function gcmSeal(key: Buffer, plain: Buffer): Buffer {
  const iv = randomBytes(IV);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]);
}

function gcmOpen(key: Buffer, sealed: Buffer): Buffer {
  const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV));
  d.setAuthTag(sealed.subarray(IV, IV + TAG));
  return Buffer.concat([d.update(sealed.subarray(IV + TAG)), d.final()]);
}

export class Keyring {
  readonly activeId: string;
  readonly development: boolean;
  private readonly keys: Map<string, Buffer>;
  private readonly indexKey: Buffer;

  constructor(spec: KeyringSpec) {
    for (const [id, key] of spec.keys) {
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(id))
        throw new KeyringError(`key id "${id}" must be 1-32 letters, digits, - or _`);
      if (key.length !== 32)
        throw new KeyringError(`key "${id}" must be 32 bytes (base64 of 32 random bytes)`);
    }
    if (!spec.keys.has(spec.activeId))
      throw new KeyringError(`the active key "${spec.activeId}" is not among the keys`);
    if (spec.indexKey.length !== 32)
      throw new KeyringError('the index key must be 32 bytes (base64 of 32 random bytes)');
    this.keys = spec.keys;
    this.activeId = spec.activeId;
    this.indexKey = spec.indexKey;
    this.development = spec.development ?? false;
  }

  static isSealed(v: unknown): v is string {
    return typeof v === 'string' && v.startsWith(SEALED);
  }

  static isIndex(v: unknown): v is string {
    return typeof v === 'string' && v.startsWith(INDEXED);
  }

  /** The id of the key a sealed value's data key is sealed with. */
  static keyIdOf(sealed: string): string {
    return sealed.split('.')[1] ?? '';
  }

  seal(plain: string): string {
    const dataKey = randomBytes(32);
    const wrapped = gcmSeal(this.key(this.activeId), dataKey);
    const body = gcmSeal(dataKey, Buffer.from(plain, 'utf8'));
    return `${SEALED}${this.activeId}.${wrapped.toString('base64url')}.${body.toString('base64url')}`;
  }

  open(sealed: string): string {
    const [, id, wrapped, body] = sealed.split('.');
    if (!id || !wrapped || !body) throw new KeyringError('malformed sealed value');
    const dataKey = gcmOpen(this.key(id), Buffer.from(wrapped, 'base64url'));
    return gcmOpen(dataKey, Buffer.from(body, 'base64url')).toString('utf8');
  }

  /** The same value with its data key sealed under the active key (the value itself is not decrypted). */
  reseal(sealed: string): string {
    const [, id, wrapped, body] = sealed.split('.');
    if (!id || !wrapped || !body) throw new KeyringError('malformed sealed value');
    if (id === this.activeId) return sealed;
    const dataKey = gcmOpen(this.key(id), Buffer.from(wrapped, 'base64url'));
    return `${SEALED}${this.activeId}.${gcmSeal(this.key(this.activeId), dataKey).toString('base64url')}.${body}`;
  }

  /** Deterministic, one-way: equal inputs give equal indexes, so lookups can match them. */
  index(value: string): string {
    return INDEXED + createHmac('sha256', this.indexKey).update(value, 'utf8').digest('base64url');
  }

  /** A keyed, stable digest for identifiers the gateway derives (never reversible). */
  derive(purpose: string, value: string): Buffer {
    return createHmac('sha256', this.indexKey).update(`${purpose}\0${value}`, 'utf8').digest();
  }

  private key(id: string): Buffer {
    const k = this.keys.get(id);
    if (!k) throw new KeyringError(`no key "${id}" in DATA_KEYS: a value sealed with it cannot be read`);
    return k;
  }
}

/** Parses `DATA_KEYS` (`id:base64,id:base64`). */
export function parseKeys(list: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const item of list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const at = item.indexOf(':');
    if (at <= 0) throw new KeyringError(`"${item.slice(0, 40)}…" is not id:base64`);
    keys.set(item.slice(0, at), Buffer.from(item.slice(at + 1), 'base64'));
  }
  if (keys.size === 0) throw new KeyringError('DATA_KEYS lists no key');
  return keys;
}

/**
 * The development keyring: fixed, published keys so a development database stays readable
 * across restarts. Never for real data — the gateway refuses to start with it in production.
 */
export function developmentKeyring(): Keyring {
  const fixed = (label: string) => createHash('sha256').update(`switchboard development ${label}`).digest();
  return new Keyring({
    keys: new Map([['dev', fixed('data key')]]),
    activeId: 'dev',
    indexKey: fixed('index key'),
    development: true,
  });
}
