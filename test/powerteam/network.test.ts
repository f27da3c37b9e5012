import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { ensureCommunity, findMemberByPlatformId, groupForChannel } from '../../src/communities/community-repo.js';
import { memberAdvice } from '../../src/powerteam/advice.js';
import { loadAffinities } from '../../src/powerteam/affinity.js';
import { loadMemberTotals } from '../../src/powerteam/member-totals.js';
import { loadNetwork } from '../../src/powerteam/network.js';
import { powerTeamReport } from '../../src/powerteam/report.js';
import { describeEachDatabase } from '../support/databases.js';
import { type ShellHarness, shellHarness } from '../support/shell.js';

// Connections are stamped by the database's clock (created_at defaults to now()), so the bot's clock starts now.
const START = new Date(Math.floor(Date.now() / 60_000) * 60_000);

const intro = (name: string, category: string) =>
  `@${name} /intro business:"${name} Ltd" category:"${category}" pitch:"${name} pitch" ideal_referral:"Anyone"`;
const refer = (from: string, to: string, n: number) =>
  `@${from} /refer member:@${to} prospect:"Prospect ${n}" contact:"p${n}@example.com" need:"Something" temperature:3 consent:yes`;

/**
 * A hand-counted chapter: bob (realtor), carol (mortgage broker), dan (home inspector), erin (plumber), fay
 * (florist, gives and gets nothing). Slips: bob→carol #1 (won 1,000 USD) and #2, carol→bob #3, erin→bob #4,
 * dan→carol #5 (withdrawn: does not count). Thank-you: carol thanks dan for 250 USD (dan gave). Connection: erin
 * introduces bob and dan. 1-to-1: bob and carol met in a round of Coffee.
 */
async function chapter(h: ShellHarness) {
  await h.run(`
@alice /setup name:"Chapter" type:peer timezone:UTC
${intro('bob', 'Realtors')}
${intro('carol', 'mortgage broker')}
${intro('dan', 'Home Inspector')}
${intro('erin', 'plumber')}
${intro('fay', 'florist')}
${refer('bob', 'carol', 1)}
${refer('bob', 'carol', 2)}
${refer('carol', 'bob', 3)}
${refer('erin', 'bob', 4)}
${refer('dan', 'carol', 5)}
@dan /referral withdraw id:5
@alice /referral correct id:1 status:won amount:1000 currency:USD
@carol /thanks member:@dan amount:250
@erin /connect member_a:@bob member_b:@dan reason:"Inspections for every sale"
@alice /pair setup name:Coffee cadence:weekly
@bob /pair join
@carol /pair join
@alice /pair start
:advance 4d
@bob :press "Met"
`);
  const db = h.core.db;
  const community = await ensureCommunity(db, 'shell', h.communityRef, 'Test community');
  const group = (await groupForChannel(db, community.id, 'general'))!;
  const id = async (n: string) => (await findMemberByPlatformId(db, community.id, n))!.id;
  return { db, community, group, id };
}

describeEachDatabase('power teams: the referral network', (database) => {
  it('counts slips both ways, closed value, thank-yous, connections and 1-to-1s as counted by hand', async () => {
    const h = shellHarness(database(), { start: START });
    const { db, group, id } = await chapter(h);
    const [bob, carol, dan, erin] = await Promise.all(['bob', 'carol', 'dan', 'erin'].map(id));
    const now = h.clock.now();
    const net = await loadNetwork(db, group, new Date(now.getTime() - 30 * 86_400_000), now);
    const flow = (g: number, r: number) => net.flows.find((f) => f.giverId === g && f.receiverId === r);
    expect(flow(bob!, carol!)).toEqual({ giverId: bob, receiverId: carol, slips: 2, won: 1, value: 1000, thanks: 0 });
    expect(flow(carol!, bob!)).toMatchObject({ slips: 1, won: 0, value: 0, thanks: 0 });
    expect(flow(erin!, bob!)).toMatchObject({ slips: 1 });
    // the withdrawn slip #5 (dan→carol) does not count; the thank-you does: carol thanked dan, so dan gave
    expect(flow(dan!, carol!)).toEqual({ giverId: dan, receiverId: carol, slips: 0, won: 0, value: 250, thanks: 1 });
    expect(net.flows).toHaveLength(4);
    const tie = (a: number, b: number) => net.ties.find((t) => t.a === Math.min(a, b) && t.b === Math.max(a, b));
    expect(tie(bob!, dan!)).toMatchObject({ connections: 1, oneToOnes: 0, lastOneToOne: null });
    expect(tie(bob!, carol!)).toMatchObject({ connections: 0, oneToOnes: 1 });
    expect(tie(bob!, carol!)!.lastOneToOne).toEqual(START); // the round's start
    expect(net.connectionsGiven.get(erin!)).toBe(1);
  });

  it('counts per member what each gave and received, and the period’s slips and closed value, as counted by hand', async () => {
    const h = shellHarness(database(), { start: START });
    const { db, group, id } = await chapter(h);
    const [alice, bob, carol, dan, erin, fay] = await Promise.all(
      ['alice', 'bob', 'carol', 'dan', 'erin', 'fay'].map(id),
    );
    const now = h.clock.now();
    const from = new Date(now.getTime() - 30 * 86_400_000);
    const period = await loadMemberTotals(db, group, from, now);
    const totals = period.members;
    expect(totals.get(bob!)).toEqual({ given: 2, received: 3, value: 1000 }); // 2 slips out; 2 slips + 1 connection in
    expect(totals.get(carol!)).toEqual({ given: 1, received: 3, value: 0 }); // 2 slips + the thank-you in
    expect(totals.get(dan!)).toEqual({ given: 1, received: 1, value: 250 }); // thank-you out; connection in
    expect(totals.get(erin!)).toEqual({ given: 2, received: 0, value: 0 }); // a slip and a connection
    expect(totals.get(fay!)).toBeUndefined();
    expect(totals.size).toBe(4);
    // slips #1–#4 (#5 was withdrawn); 1,000 USD won on #1 plus the 250 USD thank-you
    expect([period.currency, period.slips, period.value]).toEqual(['USD', 4, 1250]);
    // the report's text reads these totals: alice (who only set the group up) and fay neither gave nor received
    const report = await powerTeamReport(db, group, from, now);
    expect([report.slips, report.value]).toEqual([4, 1250]);
    expect(report.giversInWaiting.map((m) => m.id).sort()).toEqual([alice, fay].sort());
    expect(report.coverage.find((c) => c.sphere.key === 'home and property')?.members.map((m) => m.name)).toEqual([
      'bob',
      'carol',
      'dan',
    ]);
  });

  it('a period before the slips sees nothing, but the 1-to-1 stays known as the last one', async () => {
    const h = shellHarness(database(), { start: START });
    const { db, group } = await chapter(h);
    await h.run(':advance 40d');
    const now = h.clock.now();
    const net = await loadNetwork(db, group, new Date(now.getTime() - 7 * 86_400_000), now);
    expect(net.flows).toEqual([]);
    expect(net.ties.map((t) => [t.oneToOnes, t.lastOneToOne !== null])).toEqual([[0, true]]);
    const period = await loadMemberTotals(db, group, new Date(now.getTime() - 7 * 86_400_000), now);
    expect([period.members.size, period.slips, period.value]).toEqual([0, 0, 0]);
  });

  it('learns category affinities per group as counts only, from slips of every group of the community', async () => {
    const h = shellHarness(database(), { start: START });
    const { db, community, group } = await chapter(h);
    const rows = rowsOf<{ g: string; r: string; n: number }>(
      await db.execute(sql`select giver_category as g, receiver_category as r, slips as n from category_affinities
        where community_id = ${community.id} and group_id = ${group.id} order by 1, 2`),
    );
    // every slip counts, the withdrawn one too (somebody saw the two professions meet)
    expect(rows.map((r) => `${r.g}>${r.r}:${Number(r.n)}`)).toEqual([
      'home inspector>mortgage broker:1',
      'mortgage broker>realtor:1',
      'plumber>realtor:1',
      'realtor>mortgage broker:2',
    ]);
    const columns = rowsOf<{ column_name: string }>(
      await db.execute(
        sql`select column_name from information_schema.columns where table_name = 'category_affinities'`,
      ),
    ).map((c) => c.column_name);
    expect(columns.some((c) => c.includes('member'))).toBe(false);
    const a = await loadAffinities(db, community.id, group.id, ['realtor', 'mortgage broker', 'florist']);
    expect(a.get('mortgage broker|realtor')).toEqual({ inGroup: 3, elsewhere: 0 });
    expect(a.has('florist|realtor')).toBe(false);
    // seen from any other group of the community, the same counts are "elsewhere"; another community sees nothing
    const other = await loadAffinities(db, community.id, group.id + 1_000_000, ['realtor', 'mortgage broker']);
    expect(other.get('mortgage broker|realtor')).toEqual({ inGroup: 0, elsewhere: 3 });
    const stranger = await loadAffinities(db, community.id + 1_000_000, group.id, ['realtor', 'mortgage broker']);
    expect(stranger.size).toBe(0);
  });

  it('/powerteam advice: sphere partners, 1-to-1s due, flows both ways and overlaps with no business yet', async () => {
    const h = shellHarness(database(), { start: START });
    const { db, community, group, id } = await chapter(h);
    const bob = (await id('bob'))!;
    const now = h.clock.now();
    const a = (await memberAdvice(db, group, bob, new Date(now.getTime() - 30 * 86_400_000), now))!;
    expect(a.spheres.map((s) => s.key)).toEqual(['home and property']);
    expect(a.partners.map((p) => p.member.name).sort()).toEqual(['carol', 'dan']);
    expect(a.due.map((p) => p.member.name)).toEqual(['dan']); // met carol in Coffee
    expect(a.referredBy.map((c) => [c.member.name, c.slips])).toEqual([
      ['carol', 1],
      ['erin', 1],
    ]);
    expect(a.referredTo.map((c) => [c.member.name, c.slips, c.value])).toEqual([['carol', 2, 1000]]);
    expect(a.overlaps).toEqual([]);
    // three slips elsewhere in the community between florists and realtors make fay an overlap with no business
    await db.execute(sql`insert into category_affinities (community_id, group_id, giver_category, receiver_category, slips)
      values (${community.id}, 0, 'florist', 'realtor', 3)`);
    const again = (await memberAdvice(db, group, bob, new Date(now.getTime() - 30 * 86_400_000), now))!;
    expect(again.overlaps.map((o) => [o.member.name, o.affinity, o.inGroup])).toEqual([['fay', 3, 0]]);
  });
});
