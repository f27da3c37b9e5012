import type { NetworkLayout } from './network-graph.js';
import type { Sphere } from './spheres.js';

export const NETWORK_WIDTH = 1200;
export const NETWORK_HEIGHT = 900;
const PLOT = { left: 40, top: 70, right: 300, bottom: 40 };

/** Colour-blind-safe sphere colours (Okabe–Ito, then Tableau); members in no sphere are grey. */
const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#D55E00',
  '#56B4E9',
  '#F0E442',
  '#000000',
  '#8c564b',
  '#17becf',
  '#bcbd22',
  '#7f7f7f',
];
const NO_SPHERE = '#9ca3af';
/** At most this many edges are drawn, the strongest. */
const MAX_EDGES = 400;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/**
 * The referral network as an SVG (rasterised by src/reports/rasterise.ts): nodes coloured by sphere and sized by
 * business passed, edges as wide as their weight (slips and closed value), each Louvain cluster's label at its
 * centre, and a legend of the spheres shown. Names are drawn up to 60 members; above that only the clusters are.
 */
export function renderNetworkSvg(
  layout: NetworkLayout,
  spheres: readonly Sphere[],
  title: string,
  subtitle: string,
): string {
  const used = [...new Set(layout.nodes.map((n) => n.sphere).filter((s): s is string => s !== null))];
  const colour = new Map(used.map((s, k) => [s, PALETTE[k % PALETTE.length]!]));
  const xs = layout.nodes.map((n) => n.x);
  const ys = layout.nodes.map((n) => n.y);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const w = NETWORK_WIDTH - PLOT.left - PLOT.right;
  const h = NETWORK_HEIGHT - PLOT.top - PLOT.bottom;
  const scale = Math.min(w / Math.max(1e-9, maxX - minX), h / Math.max(1e-9, maxY - minY));
  const px = (x: number) =>
    layout.nodes.length < 2 ? PLOT.left + w / 2 : PLOT.left + (x - minX) * scale + (w - (maxX - minX) * scale) / 2;
  const py = (y: number) =>
    layout.nodes.length < 2 ? PLOT.top + h / 2 : PLOT.top + (y - minY) * scale + (h - (maxY - minY) * scale) / 2;
  const at = new Map(layout.nodes.map((n) => [n.id, n]));
  const maxWeight = Math.max(1, ...layout.edges.map((e) => e.weight));
  const maxVolume = Math.max(1, ...layout.nodes.map((n) => n.volume));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${NETWORK_WIDTH}" height="${NETWORK_HEIGHT}" viewBox="0 0 ${NETWORK_WIDTH} ${NETWORK_HEIGHT}" font-family="DejaVu Sans, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${PLOT.left}" y="34" font-size="24" font-weight="bold" fill="#111827">${esc(cut(title, 70))}</text>`,
    `<text x="${PLOT.left}" y="58" font-size="15" fill="#4b5563">${esc(cut(subtitle, 110))}</text>`,
  ];
  // Edges in a few width classes, one path each: rasterising is the picture's cost, and one path with many segments
  // renders faster than as many elements. The weakest edges beyond MAX_EDGES are left out (the text has the counts).
  const classes = new Map<number, string[]>();
  for (const e of [...layout.edges].sort((p, q) => q.weight - p.weight).slice(0, MAX_EDGES)) {
    const a = at.get(e.a)!;
    const b = at.get(e.b)!;
    const width = Math.round(2 * (0.6 + 5 * Math.sqrt(e.weight / maxWeight))) / 2;
    const d = `M${px(a.x).toFixed(1)} ${py(a.y).toFixed(1)}L${px(b.x).toFixed(1)} ${py(b.y).toFixed(1)}`;
    classes.set(width, [...(classes.get(width) ?? []), d]);
  }
  for (const [width, ds] of [...classes.entries()].sort((p, q) => p[0] - q[0])) {
    parts.push(`<path d="${ds.join('')}" fill="none" stroke="#6b7280" stroke-opacity="0.45" stroke-width="${width}"/>`);
  }
  const names = layout.nodes.length <= 60;
  for (const n of layout.nodes) {
    const r = 5 + 9 * Math.sqrt(n.volume / maxVolume);
    const fill = n.sphere ? colour.get(n.sphere)! : NO_SPHERE;
    parts.push(
      `<circle cx="${px(n.x).toFixed(1)}" cy="${py(n.y).toFixed(1)}" r="${r.toFixed(1)}" fill="${fill}" stroke="#ffffff" stroke-width="1.5"/>`,
    );
    if (names) {
      parts.push(
        `<text x="${(px(n.x) + r + 3).toFixed(1)}" y="${(py(n.y) + 4).toFixed(1)}" font-size="12" fill="#111827">${esc(cut(n.name, 22))}</text>`,
      );
    }
  }
  // Cluster labels at their cluster's centre, kept inside the plot; a label that would cover one already placed moves
  // down a line or two, else it is left out (the text lists every cluster).
  const placed: { x0: number; x1: number; y: number }[] = [];
  for (const c of layout.clusters.slice(0, 12)) {
    const text = cut(`${c.label} (${c.size})`, 40);
    const half = Math.min(w / 2, (text.length * 8.5) / 2);
    const x = Math.min(PLOT.left + w - half, Math.max(PLOT.left + half, px(c.x)));
    let y = py(c.y) - 18;
    const clash = (yy: number) => placed.some((p) => Math.abs(p.y - yy) < 18 && p.x0 < x + half && x - half < p.x1);
    for (let k = 0; k < 3 && clash(y); k++) y += 20;
    if (clash(y)) continue;
    placed.push({ x0: x - half, x1: x + half, y });
    parts.push(
      `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="15" font-weight="bold" fill="#1f2937" text-anchor="middle" stroke="#ffffff" stroke-width="4" paint-order="stroke">${esc(text)}</text>`,
    );
  }
  const legendX = NETWORK_WIDTH - PLOT.right + 30;
  parts.push(
    `<text x="${legendX}" y="${PLOT.top + 10}" font-size="15" font-weight="bold" fill="#111827">Spheres</text>`,
  );
  const legend = [
    ...used.map((k) => ({ label: spheres.find((s) => s.key === k)?.label ?? k, fill: colour.get(k)! })),
    { label: 'No sphere', fill: NO_SPHERE },
  ];
  legend.slice(0, 24).forEach((l, k) => {
    const y = PLOT.top + 34 + k * 24;
    parts.push(`<circle cx="${legendX + 8}" cy="${y - 5}" r="7" fill="${l.fill}"/>`);
    parts.push(`<text x="${legendX + 22}" y="${y}" font-size="13" fill="#111827">${esc(cut(l.label, 28))}</text>`);
  });
  const noteY = PLOT.top + 34 + Math.min(legend.length, 24) * 24 + 20;
  parts.push(
    `<text x="${legendX}" y="${noteY}" font-size="12" fill="#4b5563">Line width: slips and closed value</text>`,
    `<text x="${legendX}" y="${noteY + 18}" font-size="12" fill="#4b5563">Circle size: slips passed</text>`,
  );
  if (!layout.edges.length) {
    parts.push(
      `<text x="${PLOT.left + w / 2}" y="${PLOT.top + h / 2}" font-size="18" fill="#6b7280" text-anchor="middle">No business passed in this period yet</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}
