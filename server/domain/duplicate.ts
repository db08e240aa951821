/**
 * Whether a write failed on a unique index: MongoDB's code 11000, and the shapes FerretDB
 * reports it in on SQLite and on PostgreSQL (an update hitting a unique index there is an
 * internal error carrying the backend's own text).
 */
export function isDuplicateKey(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (code === 11000) return true;
  return (
    typeof message === 'string' &&
    (message.includes('UNIQUE constraint failed') || message.includes('(SQLSTATE 23505)'))
  );
}
