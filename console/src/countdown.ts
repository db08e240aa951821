/**
 * Live timers: countdown elements carry their clock's times as data attributes and one
 * ticker rewrites them several times a second, moving from calm to warn, urgent and
 * breached as the deadline nears, without re-rendering the views around them.
 */
import type { ClockView } from '../../shared/protocol';
import { h } from '../../ui/dom';

export type Urgency = 'calm' | 'warn' | 'urgent' | 'breached';

export function urgency(
  c: { startedAt: number; warnAt: number; dueAt: number; breached: boolean },
  now: number,
): Urgency {
  if (c.breached || now >= c.dueAt) return 'breached';
  if (now >= c.warnAt) return 'urgent';
  if (now >= c.startedAt + (c.dueAt - c.startedAt) / 2) return 'warn';
  return 'calm';
}

export function clockText(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const text =
    s >= 3600
      ? `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
      : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return ms < 0 ? `+${text}` : text;
}

/** A countdown to the clock's deadline (or a dash when no clock runs). */
export function countdown(clock: ClockView | null, testid: string, label: string): HTMLElement {
  if (!clock)
    return h('span', { class: 'countdown idle', 'data-testid': testid, 'data-state': 'idle', text: '—' });
  return h('span', {
    class: 'countdown calm',
    'data-testid': testid,
    'aria-label': label,
    title: label,
    'data-start': Date.parse(clock.startedAt),
    'data-warn': Date.parse(clock.warnAt),
    'data-due': Date.parse(clock.dueAt),
    'data-breached': clock.breachedAt ? '1' : null,
  });
}

/** Time elapsed since a moment (waiting time in the queue). */
export function elapsed(since: string | null, testid: string): HTMLElement {
  return h('span', {
    class: 'elapsed',
    'data-testid': testid,
    'data-since': since ? Date.parse(since) : null,
  });
}

export function tick(root: ParentNode, now = Date.now()): void {
  for (const el of root.querySelectorAll<HTMLElement>('.countdown[data-due]')) {
    const due = Number(el.dataset.due);
    const state = urgency(
      {
        startedAt: Number(el.dataset.start),
        warnAt: Number(el.dataset.warn),
        dueAt: due,
        breached: el.dataset.breached === '1',
      },
      now,
    );
    el.className = `countdown ${state}`;
    el.dataset.state = state;
    el.textContent = clockText(due - now);
  }
  for (const el of root.querySelectorAll<HTMLElement>('.elapsed[data-since]')) {
    el.textContent = clockText(now - Number(el.dataset.since));
  }
}

export function startTicker(root: ParentNode): () => void {
  const id = window.setInterval(() => tick(root), 250);
  return () => window.clearInterval(id);
}
