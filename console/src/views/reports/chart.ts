/**
 * A small line chart drawn as SVG: a titled, described image (role="img" with <title> and
 * <desc>) with labelled axes and one point per value; missing values break the line.
 */
const NS = 'http://www.w3.org/2000/svg';

export interface ChartPoint {
  label: string;
  value: number | null;
}

export interface ChartSpec {
  title: string;
  desc: string;
  xLabel: string;
  yLabel: string;
  points: ChartPoint[];
  format(v: number): string;
  /** The top of the scale (100 for percentages); the largest value when absent. */
  max?: number;
  testId?: string;
}

function el(name: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

const W = 560;
const H = 220;
const PAD = { left: 56, right: 16, top: 16, bottom: 44 };

export function lineChart(s: ChartSpec): SVGElement {
  const id = `chart-${Math.random().toString(36).slice(2, 8)}`;
  const svg = el('svg', {
    viewBox: `0 0 ${W} ${H}`,
    role: 'img',
    class: 'chart',
    'aria-labelledby': `${id}-t ${id}-d`,
    'data-testid': s.testId ?? 'chart',
  });
  svg.append(el('title', { id: `${id}-t` }, s.title), el('desc', { id: `${id}-d` }, s.desc));
  const values = s.points.map((p) => p.value).filter((v): v is number => v !== null);
  const max = s.max ?? Math.max(1, ...values);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i: number) =>
    PAD.left + (s.points.length <= 1 ? plotW / 2 : (i * plotW) / (s.points.length - 1));
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;

  const axes = el('g', { class: 'axes', 'aria-hidden': 'true' });
  axes.append(
    el('line', { x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: PAD.top + plotH, stroke: 'currentColor' }),
    el('line', {
      x1: PAD.left,
      y1: PAD.top + plotH,
      x2: W - PAD.right,
      y2: PAD.top + plotH,
      stroke: 'currentColor',
    }),
  );
  for (const v of [0, max / 2, max]) {
    axes.append(
      el('text', { x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 11 }, s.format(v)),
    );
  }
  const every = Math.max(1, Math.ceil(s.points.length / 8));
  s.points.forEach((p, i) => {
    if (i % every === 0 || i === s.points.length - 1)
      axes.append(
        el('text', { x: x(i), y: PAD.top + plotH + 16, 'text-anchor': 'middle', 'font-size': 11 }, p.label),
      );
  });
  axes.append(
    el(
      'text',
      { x: PAD.left + plotW / 2, y: H - 6, 'text-anchor': 'middle', 'font-size': 12, class: 'axis-label' },
      s.xLabel,
    ),
    el(
      'text',
      {
        x: 14,
        y: PAD.top + plotH / 2,
        'text-anchor': 'middle',
        'font-size': 12,
        class: 'axis-label',
        transform: `rotate(-90 14 ${PAD.top + plotH / 2})`,
      },
      s.yLabel,
    ),
  );
  svg.append(axes);

  let d = '';
  s.points.forEach((p, i) => {
    if (p.value === null) return;
    const prev = s.points[i - 1];
    d += `${d && prev && prev.value !== null ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)} `;
  });
  if (d)
    svg.append(
      el('path', { d: d.trim(), fill: 'none', stroke: 'currentColor', 'stroke-width': 2, class: 'line' }),
    );
  s.points.forEach((p, i) => {
    if (p.value === null) return;
    const dot = el('circle', {
      cx: x(i),
      cy: y(p.value),
      r: 3.5,
      class: 'point',
      'data-testid': 'chart-point',
      'data-value': p.value,
    });
    dot.append(el('title', {}, `${p.label}: ${s.format(p.value)}`));
    svg.append(dot);
  });
  return svg;
}
