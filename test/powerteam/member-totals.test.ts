import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { ensureCommunity, findMemberByPlatformId, groupForChannel } from '../../src/communities/community-repo.js';
import { loadMemberTotals, type MemberTotals } from '../../src/powerteam/member-totals.js';
import { loadNetwork, type Network } from '../../src/powerteam/network.js';
import { seededRandom } from '../../src/random.js';
import { describeEachDatabase } from '../support/databases.js';
import { shellHarness } from '../support/shell.js';

const START = new Date('2026-03-02T09:00:00Z');
const DAY = 86_400_000;
const NAMES = ['bob', 'carol', 'dan', 'erin', 'fay', 'gus'];

/**
 * The oracle: what each member gave and received, summed from the network's pairs as the report did before it
 * counted per member in SQL (slips and thank-yous to the giver and the receiver, connections to the two introduced
 * and to the introducer).
 */
function totalsFromPairs(net: Network): Map<number, MemberTotals> {
  const out = new Map<number, MemberTotals>();
  const at = (id: number) => {
    if (!out.has(id)) out.set(id, { given: 0, received: 0, value: 0 });
    return out.get(id)!;
  };
  for (const f of net.flows) {
    at(f.giverId).given += f.slips + f.thanks;
    at(f.giverId).value += f.value;
    at(f.receiverId).received += f.slips + f.thanks;
  }
  for (const t of net.ties) {
    if (!t.connections) continue;
    at(t.a).received += t.connections;
    at(t.b).received += t.connections;
  }
  for (const [id, n] of net.connectionsGiven) at(id).given += n;
  return out;
}

const rounded = (m: Map<number, MemberTotals>) =>
  [...m.entries()]
    .map(([id, t]) => [id, t.given, t.received, Math.round(t.value * 100)])
    .sort((p, q) => Number(p[0]) - Number(q[0]));

describeEachDatabase('power teams: member totals', (database) => {
  it('agree with the network’s pairs on seeded slips, thank-yous and connections (currencies, withdrawn, forgotten members, period edges)', async () => {
    const h = shellHarness(database(), { start: START });
    await h.run(
      [
        '@alice /setup name:"Chapter" type:peer timezone:UTC',
        ...NAMES.map(
          (n) => `@${n} /intro business:"${n} Ltd" category:plumber pitch:"${n} pitch" ideal_referral:"Anyone"`,
        ),
      ].join('\n'),
    );
    const db = h.core.db;
    const community = await ensureCommunity(db, 'shell', h.communityRef, 'Test community');
    const group = (await groupForChannel(db, community.id, 'general'))!;
    const ids = await Promise.all(NAMES.map(async (n) => (await findMemberByPlatformId(db, community.id, n))!.id));
    const rng = seededRandom(19);
    // now and then a forgotten member (null), a slip just outside the period, another currency
    const someone = () => (rng.int(12) === 0 ? null : ids[rng.int(ids.length)]!);
    const when = () => new Date(START.getTime() - rng.int(40) * DAY - rng.int(2) * 1000).toISOString();
    const currency = () => (rng.int(4) === 0 ? 'EUR' : 'USD');
    const statuses = ['new', 'accepted', 'won', 'won', 'lost', 'withdrawn'];
    for (let k = 1; k <= 120; k++) {
      const status = statuses[rng.int(statuses.length)]!;
      // an amount on a slip that was not won (a lost deal's estimate) is no closed value
      const amount = status === 'won' || rng.int(3) === 0 ? (rng.int(500_000) / 100).toFixed(2) : null;
      await db.execute(sql`insert into referrals (community_id, number, group_id, giver_id, receiver_id, temperature, kind,
          status, amount, currency, created_at)
        values (${community.id}, ${1000 + k}, ${group.id}, ${someone()}, ${someone()}, 3, 'outside', ${status}, ${amount},
          ${amount ? currency() : null}, ${when()})`);
    }
    for (let k = 0; k < 40; k++) {
      await db.execute(sql`insert into closed_business (community_id, group_id, giver_id, receiver_id, amount, currency, created_at)
        values (${community.id}, ${group.id}, ${someone()}, ${someone()}, ${(rng.int(100_000) / 100).toFixed(2)}, ${currency()}, ${when()})`);
    }
    for (let k = 0; k < 30; k++) {
      await db.execute(sql`insert into connections (community_id, group_id, giver_id, member_a_id, member_b_id, reason, created_at)
        values (${community.id}, ${group.id}, ${someone()}, ${someone()}, ${someone()}, 'Seeded', ${when()})`);
    }
    for (const days of [7, 30, 45]) {
      const from = new Date(START.getTime() - days * DAY);
      const [net, period] = await Promise.all([
        loadNetwork(db, group, from, START),
        loadMemberTotals(db, group, from, START),
      ]);
      expect(period.members.size).toBeGreaterThan(0);
      expect(rounded(period.members)).toEqual(rounded(totalsFromPairs(net)));
      expect(period.slips).toBe(net.flows.reduce((s, f) => s + f.slips, 0));
      expect(Math.round(period.value * 100)).toBe(Math.round(net.flows.reduce((s, f) => s + f.value, 0) * 100));
    }
  });
});
