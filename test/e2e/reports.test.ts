/**
 * The reports tab in a real browser: a supervisor sees the figures of a seeded day, the
 * trend chart of a figure, drills from a figure to the conversations behind it and opens
 * one, and downloads the CSV of a figure whose rows add up to the figure the API reports.
 */
import { readFileSync } from 'node:fs';
import type { Figures } from '../../server/reports/figures';
import { api, createAgent, startGateway, type TestGateway } from '../harness/gateway';
import { seedDay } from '../reports/steps';
import { ConsolePage, buildUi, openBrowser, screenshot } from './browser';

let gw: TestGateway;
let browser: Awaited<ReturnType<typeof openBrowser>>;

beforeAll(async () => {
  await buildUi();
  gw = await startGateway({ env: { SLA_WARN_RATIO: '0.5' } });
  browser = await openBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

/** RFC 4180 rows (quoted fields with commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

describe('reports in the console', () => {
  it('show the figures and their trend, drill down to a conversation, and export CSV', async () => {
    const seeded = await seedDay(gw);
    // The supervisor of every team the day was seeded in: reports count their teams.
    const teamIds = (await gw.models.Team.find({}, { _id: 1 }).lean()).map((t) => String(t._id));
    const boss = await createAgent(gw, { name: 'Sam Supervisor', role: 'supervisor', capacity: 0, teamIds });
    const c = new ConsolePage(await browser.context.newPage(), gw.url);
    await c.login(boss.email, boss.password);
    await c.tid('tab-reports').click();
    const from = new Date(Date.now() - 7 * 86_400_000).toISOString();
    const to = new Date(Date.now() + 3600_000).toISOString();
    const overview = await api<{ total: Figures }>(
      gw.url,
      boss.token,
      'GET',
      `/reports/overview?from=${from}&to=${to}&period=all`,
    );
    const reply = overview.body.total.clocks.reply;
    const shown = (v: number | null) => (v === null ? '—' : `${Number.isInteger(v) ? v : v.toFixed(1)}%`);

    const figure = (id: string) =>
      c.page.locator(`[data-testid="report-figure"][data-figure="${id}"] [data-testid="report-value"]`);
    await figure('resolved').filter({ hasText: '5' }).waitFor();
    expect(await figure('reply').textContent()).toBe(shown(reply.pct));

    // The trend chart: an accessible SVG image with a point for the day that has data.
    await c.tid('report-chart-figure').selectOption('reply');
    const chart = c.tid('report-trend');
    await chart.waitFor();
    expect(await chart.getAttribute('role')).toBe('img');
    expect(await chart.locator('title').first().textContent()).toContain('Reply');
    expect(await chart.locator('desc').textContent()).toBeTruthy();
    expect(await chart.locator(`[data-testid="chart-point"][data-value="${reply.pct}"]`).count()).toBe(1);

    // Group by agent, then drill from Ana's reply figure to the conversation she answered late.
    await c.tid('report-group-by').selectOption('agent');
    await c.tid('report-apply').click();
    const anaReply = c.page.locator(
      `[data-testid="report-group"][data-group="${seeded.ana.id}"] [data-testid="report-cell"][data-figure="reply"]`,
    );
    await anaReply.filter({ hasText: '50%' }).waitFor();
    await screenshot(c.page, 'reports', true);
    await anaReply.click();
    await c.tid('drill-total').filter({ hasText: '2' }).waitFor();
    const late = c.page.locator(
      `[data-testid="drill-item"][data-conversation-id="${seeded.conversations[1]}"]`,
    );
    expect(await late.textContent()).toContain('missed');
    await late.locator('[data-testid="drill-open"]').click();
    await c.history('My order is late').waitFor();

    // CSV of the reply figure: its rows are the figure's records.
    await c.tid('tab-reports').click();
    const [download] = await Promise.all([c.page.waitForEvent('download'), c.tid('report-csv').click()]);
    const rows = parseCsv(readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, ''));
    const [header, ...records] = rows;
    const col = (name: string) => header!.indexOf(name);
    expect(records.every((r) => r[col('figure')] === 'reply')).toBe(true);
    expect(records).toHaveLength(reply.total);
    expect(records.filter((r) => r[col('outcome')] === 'met')).toHaveLength(reply.met);
    expect(records.map((r) => r[col('conversation_id')])).toContain(seeded.conversations[1]);
  });
});
