import { lazyRequire } from '../lazy-require.js';
import { seededRandom } from '../random.js';
import type { Network } from './network.js';
import { type Sphere, spheresOf } from './spheres.js';

// CommonJS packages (module.exports is the class or function), loaded when a report is first drawn.
const graphology = lazyRequire<typeof import('graphology').default>('graphology');
const louvain = lazyRequire<typeof import('graphology-communities-louvain').default>('graphology-communities-louvain');
const forceAtlas2 = lazyRequire<typeof import('graphology-layout-forceatlas2').default>(
  'graphology-layout-forceatlas2',
);

export interface PlacedNode {
  id: number;
  name: string;
  x: number;
  y: number;
  /** The member's first sphere (the legend's colour), or null. */
  sphere: string | null;
  cluster: number;
  /** Business given plus received, which sizes the node. */
  volume: number;
}

export interface PlacedEdge {
  a: number;
  b: number;
  slips: number;
  value: number;
  weight: number;
}

export interface Cluster {
  id: number;
  size: number;
  /** Named by the sphere most of its members share, else by its largest member count. */
  label: string;
  x: number;
  y: number;
}

export interface NetworkLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  clusters: Cluster[];
}

/**
 * The network as a graph (graphology): members are nodes, an edge joins two members who passed business either way,
 * weighted by slips plus closed value (one slip counts like the group's median won amount, so neither swamps the
 * other), plus 1-to-1s and connections lightly. Louvain finds the clusters; ForceAtlas2 lays it out. Seeded, so the
 * same data gives the same picture.
 */
export function layoutNetwork(net: Network, spheres: readonly Sphere[], seed = 19): NetworkLayout {
  const graph = new (graphology())({ type: 'undirected' });
  const n = net.members.length;
  net.members.forEach((m, k) => {
    // a deterministic start on a circle: ForceAtlas2 needs positions and must not start from randomness
    const angle = (2 * Math.PI * k) / Math.max(1, n);
    graph.addNode(String(m.id), { x: Math.cos(angle) * 100, y: Math.sin(angle) * 100, size: 1 });
  });
  const pair = new Map<string, PlacedEdge>();
  const edge = (a: number, b: number): PlacedEdge | null => {
    if (a === b || !graph.hasNode(String(a)) || !graph.hasNode(String(b))) return null;
    const [x, y] = a < b ? [a, b] : [b, a];
    const k = `${x}:${y}`;
    let e = pair.get(k);
    if (!e) {
      e = { a: x, b: y, slips: 0, value: 0, weight: 0 };
      pair.set(k, e);
    }
    return e;
  };
  for (const f of net.flows) {
    const e = edge(f.giverId, f.receiverId);
    if (!e) continue;
    e.slips += f.slips + f.thanks;
    e.value += f.value;
  }
  const wonValues = net.flows.filter((f) => f.value > 0).map((f) => f.value / Math.max(1, f.won + f.thanks));
  wonValues.sort((p, q) => p - q);
  const slipWorth = wonValues.length ? wonValues[Math.floor(wonValues.length / 2)]! : 1;
  for (const t of net.ties) {
    const e = edge(t.a, t.b);
    if (e) e.weight += 0.5 * (t.oneToOnes + t.connections);
  }
  const volume = new Map<number, number>();
  for (const e of pair.values()) {
    e.weight += e.slips + e.value / slipWorth;
    if (e.weight <= 0) continue;
    graph.addEdge(String(e.a), String(e.b), { weight: e.weight });
    volume.set(e.a, (volume.get(e.a) ?? 0) + e.slips);
    volume.set(e.b, (volume.get(e.b) ?? 0) + e.slips);
  }
  const rng = seededRandom(seed);
  const community = graph.size
    ? louvain()(graph, { getEdgeWeight: 'weight', rng: () => rng.next() })
    : Object.fromEntries(graph.nodes().map((k: string, i: number) => [k, i]));
  if (n > 1) {
    // A seeded start: each cluster on its own spot of a circle, its members around it. ForceAtlas2 then only
    // refines a picture that is already roughly right, so a third of the iterations does (the layout was most of
    // the picture's cost).
    const byCluster = new Map<number, string[]>();
    for (const k of graph.nodes() as string[]) {
      const c = community[k] ?? 0;
      byCluster.set(c, [...(byCluster.get(c) ?? []), k]);
    }
    const groups = [...byCluster.values()].sort((p, q) => q.length - p.length);
    groups.forEach((keys, g) => {
      const angle = (2 * Math.PI * g) / groups.length;
      const [cx, cy] = groups.length > 1 ? [Math.cos(angle) * 100, Math.sin(angle) * 100] : [0, 0];
      const spread = 10 + 4 * Math.sqrt(keys.length);
      keys.forEach((k, i) => {
        const a = (2 * Math.PI * i) / keys.length + g;
        graph.mergeNodeAttributes(k, { x: cx + Math.cos(a) * spread, y: cy + Math.sin(a) * spread });
      });
    });
    forceAtlas2().assign(graph, {
      iterations: n > 100 ? 40 : 80,
      getEdgeWeight: 'weight',
      settings: {
        ...forceAtlas2().inferSettings(graph),
        barnesHutOptimize: n > 150,
        gravity: 1,
        strongGravityMode: true,
      },
    });
  }
  const nodes: PlacedNode[] = net.members.map((m) => {
    const a = graph.getNodeAttributes(String(m.id));
    return {
      id: m.id,
      name: m.name,
      x: a.x as number,
      y: a.y as number,
      sphere: spheresOf(spheres, m.categoryKey)[0]?.key ?? null,
      cluster: community[String(m.id)] ?? 0,
      volume: volume.get(m.id) ?? 0,
    };
  });
  const edges = [...pair.values()].filter((e) => e.weight > 0);
  return { nodes, edges, clusters: clustersOf(nodes, edges, spheres) };
}

/** Clusters of two or more members joined by business, each labelled by its commonest sphere. */
function clustersOf(nodes: PlacedNode[], edges: PlacedEdge[], spheres: readonly Sphere[]): Cluster[] {
  const linked = new Set(edges.flatMap((e) => [e.a, e.b]));
  const by = new Map<number, PlacedNode[]>();
  for (const node of nodes) {
    if (!linked.has(node.id)) continue;
    by.set(node.cluster, [...(by.get(node.cluster) ?? []), node]);
  }
  const label = (sphereKey: string | null) => spheres.find((s) => s.key === sphereKey)?.label ?? 'mixed';
  return [...by.entries()]
    .filter(([, members]) => members.length >= 2)
    .sort((p, q) => q[1].length - p[1].length || p[0] - q[0])
    .map(([id, members], k) => {
      const counts = new Map<string | null, number>();
      for (const m of members) counts.set(m.sphere, (counts.get(m.sphere) ?? 0) + 1);
      const [top] = [...counts.entries()].sort((p, q) => q[1] - p[1]);
      return {
        id,
        size: members.length,
        label: `Cluster ${k + 1}: ${label(top![0])}`,
        x: members.reduce((s, m) => s + m.x, 0) / members.length,
        y: members.reduce((s, m) => s + m.y, 0) / members.length,
      };
    });
}
