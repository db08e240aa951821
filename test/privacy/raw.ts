/** Reads a test database with the plain driver, as someone holding a copy of it would. */
import { MongoClient, type Document } from 'mongodb';
import { MONGO_BASE } from '../harness/gateway';

/** Every document of every collection, by collection. */
export async function rawDump(dbName: string): Promise<Map<string, Document[]>> {
  const client = await MongoClient.connect(`${MONGO_BASE}/${dbName}`);
  try {
    const db = client.db(dbName);
    const out = new Map<string, Document[]>();
    for (const c of await db.listCollections({}, { nameOnly: true }).toArray())
      out.set(c.name, await db.collection(c.name).find({}).toArray());
    return out;
  } finally {
    await client.close();
  }
}

/** The raw text of every document, with the collection it is in, for "is this anywhere?" checks. */
export async function rawText(dbName: string): Promise<string[]> {
  const dump = await rawDump(dbName);
  return [...dump].flatMap(([name, docs]) => docs.map((d) => `${name}: ${JSON.stringify(d)}`));
}

export function withClient<T>(dbName: string, run: (db: import('mongodb').Db) => Promise<T>): Promise<T> {
  return MongoClient.connect(`${MONGO_BASE}/${dbName}`).then(async (client) => {
    try {
      return await run(client.db(dbName));
    } finally {
      await client.close();
    }
  });
}
