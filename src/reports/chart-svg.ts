import type { ChartData } from './chart-data.js';

export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 800;
/** Bars beyond this many members would be unreadable: the chart shows the most active, the CSV has everyone. */
export const CHART_MEMBERS = 15;

/** One palette everywhere: given is always blue, received orange, business green. */
export const COLOURS = {
  given: '#2563eb',
  received: '#ea580c',
  business: '#15803d',
  attendance: '#0f766e',
  oneToOnes: '#7c3aed',
  axis: '#6b7280',
  text: '#111827',
  track: '#e5e7eb',
} as const;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));
const money = (x: number) => Math.round(x).toLocaleString('en-US');

/** The members the chart shows: most referrals given plus received first, then by name. */
export function shownMembers(d: ChartData): ChartData['members'] {
  return [...d.members]
    .sort((a, b) => b.given + b.received - (a.given + a.received) || a.name.localeCompare(b.name))
    .slice(0, CHART_MEMBERS);
}

/** The alt text: what a reader who cannot see the image needs from it. */
export function chartAltText(d: ChartData): string {
  return `${d.title}, last ${d.period}: ${chartSummary(d)}`;
}

/** The figures of the chart in words, without its title (a caption that names the group already says it). */
export function chartSummary(d: ChartData): string {
  const given = d.members.reduce((s, m) => s + m.given, 0);
  const top = shownMembers(d)
    .filter((m) => m.given > 0)
    .slice(0, 3)
    .map((m) => `${m.name} ${m.given}`);
  const business = d.closed.reduce((s, c) => s + c.total, 0);
  const att = d.attendance.pct === null ? 'no attendance recorded' : `attendance ${Math.round(d.attendance.pct)}%`;
  const oto = d.oneToOnes?.total
    ? `1-to-1s met ${Math.round((100 * d.oneToOnes.met) / d.oneToOnes.total)}%`
    : 'no 1-to-1 rounds';
  return `${given} referral${given === 1 ? '' : 's'} given by ${d.members.length} members${top.length ? ` (most: ${top.join(', ')})` : ''}; closed business ${d.currency} ${money(business)}; ${att}; ${oto}.`;
}

function bars(d: ChartData): string[] {
  const shown = shownMembers(d);
  const x0 = 210;
  const width = 440;
  const top = 150;
  const rowH = Math.min(40, 600 / Math.max(1, shown.length));
  const max = Math.max(1, ...shown.map((m) => Math.max(m.given, m.received)));
  const out = [
    `<text x="40" y="112" font-size="18" font-weight="bold" fill="${COLOURS.text}">Referrals given and received</text>`,
    `<rect x="40" y="124" width="14" height="14" fill="${COLOURS.given}"/><text x="60" y="136" font-size="14" fill="${COLOURS.text}">given</text>`,
    `<rect x="120" y="124" width="14" height="14" fill="${COLOURS.received}"/><text x="140" y="136" font-size="14" fill="${COLOURS.text}">received</text>`,
  ];
  shown.forEach((m, i) => {
    const y = top + i * rowH;
    const bh = Math.max(4, rowH / 2 - 3);
    const gw = (width * m.given) / max;
    const rw = (width * m.received) / max;
    const label = m.name.length > 22 ? `${m.name.slice(0, 21)}…` : m.name;
    out.push(
      `<text x="${x0 - 10}" y="${y + bh + 4}" font-size="14" text-anchor="end" fill="${COLOURS.text}">${esc(label)}</text>`,
      `<rect class="bar given" data-member="${esc(m.name)}" data-value="${m.given}" x="${x0}" y="${y}" width="${gw.toFixed(1)}" height="${bh}" fill="${COLOURS.given}"/>`,
      `<text x="${x0 + gw + 6}" y="${y + bh - 2}" font-size="12" fill="${COLOURS.text}">${m.given}</text>`,
      `<rect class="bar received" data-member="${esc(m.name)}" data-value="${m.received}" x="${x0}" y="${y + bh + 2}" width="${rw.toFixed(1)}" height="${bh}" fill="${COLOURS.received}"/>`,
      `<text x="${x0 + rw + 6}" y="${y + 2 * bh}" font-size="12" fill="${COLOURS.text}">${m.received}</text>`,
    );
  });
  if (!shown.length)
    out.push(`<text x="40" y="${top + 20}" font-size="14" fill="${COLOURS.axis}">No active members yet.</text>`);
  if (d.members.length > shown.length) {
    out.push(
      `<text x="40" y="770" font-size="13" fill="${COLOURS.axis}">The ${shown.length} most active of ${d.members.length} members; /report referrals has everyone.</text>`,
    );
  }
  return out;
}

function line(d: ChartData): string[] {
  const [x0, x1, y0, y1] = [790, 1160, 150, 400];
  const max = Math.max(1, ...d.closed.map((c) => c.total));
  const step = d.closed.length > 1 ? (x1 - x0) / (d.closed.length - 1) : 0;
  const pts = d.closed.map((c, i) => [x0 + i * step, y1 - ((y1 - y0) * c.total) / max] as const);
  const out = [
    `<text x="760" y="112" font-size="18" font-weight="bold" fill="${COLOURS.text}">Closed business per day (${esc(d.currency)})</text>`,
    `<line x1="${x0}" y1="${y1}" x2="${x1}" y2="${y1}" stroke="${COLOURS.axis}"/>`,
    `<line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y1}" stroke="${COLOURS.axis}"/>`,
    `<text x="${x0 - 6}" y="${y0 + 5}" font-size="12" text-anchor="end" fill="${COLOURS.axis}">${money(max)}</text>`,
    `<text x="${x0 - 6}" y="${y1 + 4}" font-size="12" text-anchor="end" fill="${COLOURS.axis}">0</text>`,
    `<polyline fill="none" stroke="${COLOURS.business}" stroke-width="3" points="${pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}"/>`,
  ];
  d.closed.forEach((c, i) => {
    const [x, y] = pts[i]!;
    out.push(
      `<circle class="point business" data-day="${c.day}" data-value="${c.total}" cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3.5" fill="${COLOURS.business}"/>`,
    );
  });
  if (d.closed.length) {
    out.push(
      `<text x="${x0}" y="${y1 + 22}" font-size="12" fill="${COLOURS.axis}">${d.closed[0]!.day}</text>`,
      `<text x="${x1}" y="${y1 + 22}" font-size="12" text-anchor="end" fill="${COLOURS.axis}">${d.closed.at(-1)!.day}</text>`,
    );
  }
  return out;
}

function gauge(y: number, label: string, pct: number | null, detail: string, colour: string, cls: string): string[] {
  const [x0, w] = [760, 400];
  const fill = pct === null ? 0 : (w * Math.min(100, pct)) / 100;
  return [
    `<text x="${x0}" y="${y}" font-size="16" fill="${COLOURS.text}">${label}: ${pct === null ? 'no data' : `${Math.round(pct)}%`}</text>`,
    `<rect x="${x0}" y="${y + 10}" width="${w}" height="24" rx="4" fill="${COLOURS.track}"/>`,
    `<rect class="rate ${cls}" data-value="${pct === null ? '' : n(pct)}" x="${x0}" y="${y + 10}" width="${fill.toFixed(1)}" height="24" rx="4" fill="${colour}"/>`,
    `<text x="${x0}" y="${y + 54}" font-size="13" fill="${COLOURS.axis}">${esc(detail)}</text>`,
  ];
}

/**
 * The group's week or month as one SVG: bars per member, closed business as a line, attendance and 1-to-1 rates as
 * gauges. Every drawn number is also a data-* attribute, so tests compare the picture with the query.
 */
export function renderChartSvg(d: ChartData): string {
  const a = d.attendance;
  const o = d.oneToOnes;
  const alt = chartAltText(d);
  const body = [
    `<rect width="${CHART_WIDTH}" height="${CHART_HEIGHT}" fill="#ffffff"/>`,
    `<text x="40" y="50" font-size="28" font-weight="bold" fill="${COLOURS.text}">${esc(d.title)}: the last ${d.period}</text>`,
    `<text x="40" y="78" font-size="15" fill="${COLOURS.axis}">${d.from.toISOString().slice(0, 10)} to ${d.to.toISOString().slice(0, 10)}</text>`,
    ...bars(d),
    ...line(d),
    `<text x="760" y="470" font-size="18" font-weight="bold" fill="${COLOURS.text}">Meetings and 1-to-1s</text>`,
    ...gauge(
      510,
      'Attendance',
      a.pct,
      `${a.attended} attended of ${a.counted} expected (medical excused)`,
      COLOURS.attendance,
      'attendance',
    ),
    ...gauge(
      610,
      '1-to-1s met',
      o?.total ? (100 * o.met) / o.total : null,
      o ? `${o.met} of ${o.total} pairs met` : 'pairing rounds not recorded yet',
      COLOURS.oneToOnes,
      'one-to-ones',
    ),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" role="img" aria-labelledby="t d" font-family="DejaVu Sans, Arial, sans-serif"><title id="t">${esc(`${d.title}: the last ${d.period}`)}</title><desc id="d">${esc(alt)}</desc>${body.join('')}</svg>`;
}
