import { normalizeCategory } from '../../src/members/categories.js';
import type { Network } from '../../src/powerteam/network.js';
import { SHIPPED_SPHERES } from '../../src/powerteam/sphere-catalog.js';
import type { Sphere } from '../../src/powerteam/spheres.js';
import { seededRandom } from '../../src/random.js';

/** The shipped spheres as loadSpheres gives them to a group without additions (no database needed). */
export const shippedSpheres: Sphere[] = SHIPPED_SPHERES.map((s) => {
  const professions = s.categories.map((l) => ({ key: normalizeCategory(l.split('|')[0]!), label: l.split('|')[0]! }));
  const keys = new Set(s.categories.flatMap((l) => l.split('|').map(normalizeCategory)));
  return {
    key: normalizeCategory(s.key),
    label: s.label,
    serves: s.serves,
    keys,
    aliases: new Map([...keys].map((k) => [k, k])),
    professions,
    added: [],
    shipped: true,
  };
});

/** A chapter of n members in sphere-shaped clusters that refer mostly inside their cluster. */
export function syntheticNetwork(n: number, seed = 5): Network {
  const rnd = seededRandom(seed);
  const cats = shippedSpheres.map((s) => s.professions.map((p) => p.key));
  const members = Array.from({ length: n }, (_, k) => {
    const s = k % cats.length;
    const category = cats[s]![Math.floor(k / cats.length) % cats[s]!.length]!;
    return { id: k + 1, name: `Member ${k + 1}`, categoryKey: category, category };
  });
  const flows = [];
  for (let k = 0; k < n * 3; k++) {
    const a = rnd.int(n);
    const same = rnd.next() < 0.8;
    const b = same ? (a + cats.length * (1 + rnd.int(3))) % n : rnd.int(n);
    if (a === b) continue;
    flows.push({
      giverId: a + 1,
      receiverId: b + 1,
      slips: 1 + rnd.int(4),
      won: rnd.int(2),
      value: rnd.int(3) * 500,
      thanks: 0,
    });
  }
  return { from: new Date(0), to: new Date(), currency: 'USD', members, flows, ties: [], connectionsGiven: new Map() };
}
