import { layoutNetwork } from '../../src/powerteam/network-graph.js';
import { renderNetworkSvg } from '../../src/powerteam/network-svg.js';
import { renderChartSvg } from '../../src/reports/chart-svg.js';
import { svgToPng } from '../../src/reports/rasterise.js';
import { shippedSpheres, syntheticNetwork } from '../powerteam/synthetic-network.js';
import { emit, percentile } from './bench-output.js';

/**
 * Issue 19 target: the referral network's PNG for 200 members (layout with ForceAtlas2 and Louvain, SVG, resvg) in
 * ≤ 500 ms. Baseline, same run: the existing /report chart PNG (a bar chart of 15 members) through the same
 * rasteriser, so the ratio says what the network costs beyond any picture.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const chart = {
  title: 'Chapter',
  period: 'month' as const,
  from: new Date('2025-12-01'),
  to: new Date('2026-01-01'),
  currency: 'USD',
  members: Array.from({ length: 15 }, (_, k) => ({ name: `Member ${k + 1}`, given: k % 5, received: (k * 3) % 7 })),
  closed: Array.from({ length: 30 }, (_, k) => ({
    day: `2025-12-${String(k + 1).padStart(2, '0')}`,
    total: (k * 137) % 900,
  })),
  attendance: { attended: 40, counted: 50, pct: 80 },
  oneToOnes: { met: 6, total: 9 },
};
for (const members of [50, 200]) {
  const net = syntheticNetwork(members);
  const ours: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < RUNS + 3; i++) {
    let t = performance.now();
    svgToPng(
      renderNetworkSvg(layoutNetwork(net, shippedSpheres), shippedSpheres, 'Chapter: who refers whom', 'the last year'),
    );
    const o = performance.now() - t;
    t = performance.now();
    svgToPng(renderChartSvg(chart));
    const b = performance.now() - t;
    if (i >= 3) {
      ours.push(o);
      base.push(b);
    }
  }
  emit({
    bench: 'powerteam-png',
    metric: 'network_png_p95_ms',
    members,
    value: percentile(ours, 95),
    baseline: percentile(base, 95),
    unit: 'ms',
    target: members === 200 ? 'value <= 500' : undefined,
  });
}
