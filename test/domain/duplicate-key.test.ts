/**
 * A write that hits a unique index is recognised as a duplicate on MongoDB and on both
 * storages of the development FerretDB, so races decided by unique indexes are answered
 * (409, "already stored") instead of failing.
 */
import { isDuplicateKey } from '../../server/domain/models';

/** The errors as the MongoDB driver throws them, message and code. */
const shapes: [string, string, number][] = [
  [
    'MongoDB’s duplicate key error (code 11000)',
    'E11000 duplicate key error collection: sb.agents index: email_1 dup key: { email: "a@example.test" }',
    11000,
  ],
  [
    'FerretDB on SQLite’s error for an update that hits a unique index',
    "[msg_update.go:133 handler.(*Handler).updateDocument] [collection.go:191 sqlite.(*collection).UpdateAll] constraint failed: UNIQUE constraint failed: index 'agents_9f21b24f_email_1' (2067)",
    1,
  ],
  [
    'FerretDB on PostgreSQL’s error for an update that hits a unique index',
    '[msg_update.go:133 handler.(*Handler).updateDocument] [collection.go:227 postgresql.(*collection).UpdateAll] ERROR: duplicate key value violates unique constraint "agents_9f21b24f_email___b788067b_idx" (SQLSTATE 23505)',
    1,
  ],
];

describe('recognising a unique index hit', () => {
  it.each(shapes)('recognises %s', (_name, message, code) => {
    expect(isDuplicateKey(Object.assign(new Error(message), { code }))).toBe(true);
  });

  it('does not take other errors for duplicates', () => {
    expect(isDuplicateKey(Object.assign(new Error('connection closed'), { code: 1 }))).toBe(false);
    expect(isDuplicateKey(new Error('ERROR: deadlock detected (SQLSTATE 40P01)'))).toBe(false);
    expect(isDuplicateKey('E11000')).toBe(false);
    expect(isDuplicateKey(null)).toBe(false);
  });
});
