/**
 * A gateway process for the fault suite, on a database and Redis the test names, that the
 * test can kill and start again; and the inbox its visitors write to.
 */
import mongoose from 'mongoose';
import { gatewayEnv, createInbox, eventually } from '../harness/gateway';
import { spawnGateway, type GatewayProcess } from '../harness/process';
import { registerModels } from '../../server/domain/models';
import { withDevelopmentKeys } from '../../server/privacy/plugin';
import type { SlaPolicy } from '../../server/domain/inbox';

export interface FaultGateway {
  readonly url: string;
  readonly process: GatewayProcess;
  mongoUrl: string;
  start(): Promise<void>;
  kill(): Promise<void>;
  stop(): Promise<void>;
  ready(): Promise<boolean>;
  /** Whether the process is still up, and the end of its error output: for failure messages. */
  describe(): string;
}

export function faultGateway(dbName: string, env: Record<string, string>): FaultGateway {
  const full = gatewayEnv(dbName, env);
  let running: GatewayProcess | null = null;
  let stderr = '';
  const need = () => {
    if (!running) throw new Error('the gateway is not running');
    return running;
  };
  return {
    get url() {
      return need().url;
    },
    get process() {
      return need();
    },
    mongoUrl: full.MONGO_URL!,
    async start() {
      running = await spawnGateway(full);
      stderr = '';
      running.child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    },
    async kill() {
      await running?.stop('SIGKILL');
      running = null;
    },
    async stop() {
      await running?.stop('SIGTERM');
      running = null;
    },
    describe() {
      const c = running?.child;
      return `gateway ${c ? `exit=${c.exitCode} signal=${c.signalCode}` : 'not running'}; stderr: ${stderr}`;
    },
    async ready() {
      const res = await fetch(`${need().url}/readyz`).catch(() => null);
      return res?.status === 200;
    },
  };
}

/** Waits until the gateway answers ready (database and Redis reachable). */
export const readyWithin = (gw: FaultGateway, ms: number) =>
  eventually(
    () => gw.ready(),
    (ok) => ok,
    ms,
    200,
  );

/** Creates a web chat inbox in the gateway's database. */
export async function faultInbox(mongoUrl: string, sla: SlaPolicy = {}) {
  const db = await mongoose.createConnection(mongoUrl).asPromise();
  try {
    return await createInbox({ models: registerModels(withDevelopmentKeys(db)) }, { sla });
  } finally {
    await db.close();
  }
}

/** Breach events of the gateway's database, with how late each was detected. */
export async function breachLateness(mongoUrl: string): Promise<number[]> {
  const db = await mongoose.createConnection(mongoUrl).asPromise();
  try {
    const rows = await db.collection('conversationevents').find({ type: 'sla.breached' }).toArray();
    return rows.map((r) => Number((r.data as { lateMs?: number }).lateMs));
  } finally {
    await db.close();
  }
}

export async function dropDatabase(mongoUrl: string): Promise<void> {
  const db = await mongoose.createConnection(mongoUrl).asPromise();
  await db.dropDatabase().catch(() => undefined);
  await db.close();
}
