import { describe, expect, it } from 'vitest';
import { layoutNetwork } from '../../src/powerteam/network-graph.js';
import { NETWORK_HEIGHT, NETWORK_WIDTH, renderNetworkSvg } from '../../src/powerteam/network-svg.js';
import { svgToPng } from '../../src/reports/rasterise.js';
import { decodePng, inkOf } from './png-decode.js';
import { shippedSpheres as spheres, syntheticNetwork } from './synthetic-network.js';

describe('power teams: the network picture', () => {
  it('is a PNG of the stated size with nodes, edges, colours and cluster labels on it (200 members)', () => {
    const net = syntheticNetwork(200);
    const layout = layoutNetwork(net, spheres);
    expect(layout.nodes).toHaveLength(200);
    expect(layout.clusters.length).toBeGreaterThan(1);
    expect(layout.clusters.every((c) => /^Cluster \d+: /.test(c.label))).toBe(true);
    const svg = renderNetworkSvg(layout, spheres, 'Big chapter: who refers whom', 'the last year');
    expect(svg).toContain(layout.clusters[0]!.label);
    const img = decodePng(svgToPng(svg));
    expect([img.width, img.height]).toEqual([NETWORK_WIDTH, NETWORK_HEIGHT]);
    const ink = inkOf(img);
    expect(ink.inked).toBeGreaterThan(img.width * img.height * 0.03);
    expect(ink.colours).toBeGreaterThan(8); // sphere colours, greys of edges, anti-aliasing
  });

  it('is the same picture for the same data (seeded layout and clusters)', () => {
    const net = syntheticNetwork(40, 9);
    const a = renderNetworkSvg(layoutNetwork(net, spheres), spheres, 't', 's');
    const b = renderNetworkSvg(layoutNetwork(net, spheres), spheres, 't', 's');
    expect(a).toBe(b);
  });

  it('draws a chapter with no business yet: every member, no edges, and says so', () => {
    const net = { ...syntheticNetwork(12), flows: [] };
    const layout = layoutNetwork(net, spheres);
    expect(layout.edges).toEqual([]);
    expect(layout.clusters).toEqual([]);
    const svg = renderNetworkSvg(layout, spheres, 'Quiet chapter', 'the last week');
    expect(svg).toContain('No business passed in this period yet');
    expect((svg.match(/<circle /g) ?? []).length).toBeGreaterThanOrEqual(12);
    expect(inkOf(decodePng(svgToPng(svg))).inked).toBeGreaterThan(1000);
  });
});
