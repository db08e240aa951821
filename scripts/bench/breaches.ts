/**
 * Benchmark: how late the SLA engine detects breaches (the promise: within 1 s of the
 * deadline). N customers write, R a second, to an inbox nobody serves, with a short pickup
 * target; every pickup clock breaches, and the report gives the detection lateness
 * (breach recorded − deadline).
 * Usage: npx ts-node --transpile-only scripts/bench/breaches.ts [conversations] [targetMs] [perSecond]
 * (start the services first: bash scripts/services.sh start). Loopback only; stops by itself.
 */
import { benchGateway, pct } from './gateway';

const CONVERSATIONS = Number(process.argv[2] ?? 100);
const TARGET_MS = Number(process.argv[3] ?? 3000);
const PER_SECOND = Number(process.argv[4] ?? 10);

async function main(): Promise<void> {
  const { app, inbox, close } = await benchGateway({ SLA_PICKUP_TARGET_MS: String(TARGET_MS) });
  const t0 = performance.now();
  const arrivals: Promise<unknown>[] = [];
  for (let i = 0; i < CONVERSATIONS; i++) {
    arrivals.push(
      app.ingest.ingest({
        inboxId: String(inbox._id),
        from: { channel: 'webchat', address: `visitor-${i}` },
        dedupeKey: `bench-${i}`,
        text: 'Anyone there?',
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1000 / PER_SECOND));
  }
  await Promise.all(arrivals);
  const ingested = performance.now() - t0;
  const deadline = Date.now() + TARGET_MS + 60_000;
  let late: number[] = [];
  while (Date.now() < deadline) {
    const events = await app.models.ConversationEvent.find({
      inboxId: inbox._id,
      type: 'sla.breached',
    }).lean();
    late = events.map((e) => Number((e.data as { lateMs?: number }).lateMs ?? NaN));
    if (late.length >= CONVERSATIONS) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const round = (x: number) => Math.round(x);
  console.log(
    JSON.stringify(
      {
        conversations: CONVERSATIONS,
        pickupTargetMs: TARGET_MS,
        arrivalsPerSecond: PER_SECOND,
        ingestAllMs: round(ingested),
        breachesDetected: late.length,
        latenessMs: {
          p50: round(pct(late, 50)),
          p95: round(pct(late, 95)),
          p99: round(pct(late, 99)),
          max: round(Math.max(...late)),
        },
        within1s: late.filter((x) => x <= 1000).length,
      },
      null,
      2,
    ),
  );
  await close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
