import type { Db } from '../../db/client.js';
import type { GroupRow } from '../communities/rows.js';
import { AFFINITY_MIN, affinityKey, affinityTotal, loadAffinities } from './affinity.js';
import { businessCounterparts, type Flow, loadNetwork, type NetMember } from './network.js';
import { loadSpheres, type Sphere, sharedSpheres, spheresOf } from './spheres.js';

/** A 1-to-1 longer ago than this is "not for a long time". */
export const LONG_AGO_DAYS = 180;

export interface Partner {
  member: NetMember;
  spheres: Sphere[];
  lastOneToOne: Date | null;
}

export interface Counterpart {
  member: NetMember;
  slips: number;
  thanks: number;
  value: number;
}

export interface Overlap {
  member: NetMember;
  /** Slips between the two professions, both ways, in this group and the community's others. */
  affinity: number;
  inGroup: number;
}

export interface MemberAdvice {
  member: NetMember;
  spheres: Sphere[];
  partners: Partner[];
  /** Sphere partners with no 1-to-1 yet, or none for LONG_AGO_DAYS. */
  due: Partner[];
  referredBy: Counterpart[];
  referredTo: Counterpart[];
  /** Members whose profession passes business with theirs, with whom no business has flowed yet (any time). */
  overlaps: Overlap[];
  currency: string;
}

function counterparts(flows: Flow[], members: Map<number, NetMember>, side: 'giverId' | 'receiverId'): Counterpart[] {
  return flows
    .filter((f) => members.has(f[side]))
    .map((f) => ({ member: members.get(f[side])!, slips: f.slips, thanks: f.thanks, value: f.value }))
    .sort(
      (a, b) =>
        b.slips + b.thanks - (a.slips + a.thanks) || b.value - a.value || a.member.name.localeCompare(b.member.name),
    );
}

/** /powerteam for one member of a group, over [from, now). */
export async function memberAdvice(
  db: Db,
  group: GroupRow,
  memberId: number,
  from: Date,
  now: Date,
): Promise<MemberAdvice | null> {
  const [net, spheres, business] = await Promise.all([
    loadNetwork(db, group, from, now, { memberId }),
    loadSpheres(db, group),
    businessCounterparts(db, group, memberId),
  ]);
  const me = net.members.find((m) => m.id === memberId);
  if (!me) return null;
  const others = new Map(net.members.filter((m) => m.id !== memberId).map((m) => [m.id, m]));
  const mine = spheresOf(spheres, me.categoryKey);
  const lastMet = new Map<number, Date | null>();
  for (const t of net.ties) lastMet.set(t.a === memberId ? t.b : t.a, t.lastOneToOne);
  const partners: Partner[] = [...others.values()]
    .map((m) => ({
      member: m,
      spheres: sharedSpheres(mine, me.categoryKey, m.categoryKey),
      lastOneToOne: lastMet.get(m.id) ?? null,
    }))
    .filter((p) => p.spheres.length > 0);
  const longAgo = now.getTime() - LONG_AGO_DAYS * 86_400_000;
  const due = partners
    .filter((p) => !p.lastOneToOne || p.lastOneToOne.getTime() < longAgo)
    .sort(
      (a, b) =>
        (a.lastOneToOne?.getTime() ?? 0) - (b.lastOneToOne?.getTime() ?? 0) ||
        a.member.name.localeCompare(b.member.name),
    );
  const referredBy = counterparts(
    net.flows.filter((f) => f.receiverId === memberId),
    others,
    'giverId',
  );
  const referredTo = counterparts(
    net.flows.filter((f) => f.giverId === memberId),
    others,
    'receiverId',
  );
  const overlaps: Overlap[] = [];
  if (me.categoryKey) {
    const affinities = await loadAffinities(
      db,
      group.communityId,
      group.id,
      [me.categoryKey, ...[...others.values()].map((m) => m.categoryKey ?? '')],
      me.categoryKey,
    );
    for (const m of others.values()) {
      if (!m.categoryKey || m.categoryKey === me.categoryKey || business.has(m.id)) continue;
      const a = affinities.get(affinityKey(me.categoryKey, m.categoryKey));
      const total = affinityTotal(a);
      if (total >= AFFINITY_MIN) overlaps.push({ member: m, affinity: total, inGroup: a?.inGroup ?? 0 });
    }
    overlaps.sort((a, b) => b.affinity - a.affinity || a.member.name.localeCompare(b.member.name));
  }
  return { member: me, spheres: mine, partners, due, referredBy, referredTo, overlaps, currency: net.currency };
}
