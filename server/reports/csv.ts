/**
 * CSV export of the records behind a figure: a database cursor written to the response a
 * batch at a time, waiting for the socket to drain, so a long period never sits in memory.
 */
import type { Response } from 'express';
import type { Models } from '../domain/models';
import { periodKey } from './periods';
import { conversationsOf, drillFilter, outcomeOf, type DrillQuery, type SourceRecord } from './drill';

const COLUMNS = [
  'day',
  'at',
  'figure',
  'outcome',
  'conversation_number',
  'conversation_id',
  'contact',
  'channel',
  'inbox_id',
  'team_id',
  'agent_id',
  'category',
  'clock',
  'elapsed_ms',
  'target_ms',
  'rating',
] as const;

/** A field as RFC 4180 wants it; a leading formula character is defused for spreadsheets. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const BATCH = 200;
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

export async function streamCsv(
  models: Models,
  q: DrillQuery & { timeZone: string },
  res: Response,
): Promise<void> {
  const { source, match } = drillFilter(q);
  const model = source.model(models) as unknown as Models['SlaMeasurement'];
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="${q.figure}-${periodKey(q.from, 'day', q.timeZone)}.csv"`,
  );
  const write = async (chunk: string) => {
    if (!res.write(chunk)) await new Promise<void>((ok) => res.once('drain', ok));
  };
  await write(`\ufeff${COLUMNS.join(',')}\r\n`);
  const cursor = model
    .find(match)
    .sort({ [source.time]: 1, _id: 1 })
    .lean<SourceRecord[]>()
    .cursor();
  let batch: SourceRecord[] = [];
  const flush = async () => {
    const of = await conversationsOf(models, batch);
    const lines = batch.map((r) => {
      const { conv, name } = of(r);
      const at = new Date(r[source.time] as Date);
      const row: Record<(typeof COLUMNS)[number], unknown> = {
        day: periodKey(at, 'day', q.timeZone),
        at: at.toISOString(),
        figure: q.figure,
        outcome: outcomeOf(source, r),
        conversation_number: conv?.number,
        conversation_id: str(r.conversationId),
        contact: name,
        channel: r.channel ?? conv?.channel,
        inbox_id: str(r.inboxId),
        team_id: str(r.teamId),
        agent_id: str(r.agentId ?? r.ownerAgentId),
        category: r.category,
        clock: typeof r.clock === 'string' ? r.clock : null,
        elapsed_ms: r.elapsedMs ?? r.handleMs,
        target_ms: r.targetMs,
        rating: r.rating,
      };
      return COLUMNS.map((c) => csvField(row[c])).join(',');
    });
    batch = [];
    if (lines.length) await write(`${lines.join('\r\n')}\r\n`);
  };
  try {
    for await (const doc of cursor) {
      batch.push(doc as SourceRecord);
      if (batch.length >= BATCH) await flush();
      if (res.destroyed) break;
    }
    await flush();
  } finally {
    await cursor.close();
  }
  res.end();
}
