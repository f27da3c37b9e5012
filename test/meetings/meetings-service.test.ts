import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { communities, groups } from '../../db/schema.js';
import { readSettings } from '../../src/groups/group-settings.js';
import { periodStart } from '../../src/referrals/periods.js';
import { referralReport } from '../../src/referrals/report.js';
import { parseCsv } from '../../src/render/csv.js';
import { chartData, chartMember } from '../../src/reports/chart-data.js';
import { CHART_HEIGHT, CHART_WIDTH, renderChartSvg } from '../../src/reports/chart-svg.js';
import { describeEachDatabase } from '../support/databases.js';
import { type ShellHarness, shellHarness } from '../support/shell.js';

/** Monthly on the first Tuesday, 07:00 UTC; the clock starts on Monday 2026-01-05 09:00Z. */
const SETUP = `
@alice /setup name:"Chapter" type:peer timezone:UTC meeting_frequency:monthly meeting_day:tuesday meeting_time:07:00 place:"Town Hall"
@bob /intro business:"Bobs Roofs" category:roofer pitch:"Roofs" ideal_referral:"Homeowners"
@carol /intro business:"Carol Law" category:lawyer pitch:"Contracts" ideal_referral:"Startups"
@alice /meeting next
`;
const texts = (h: ShellHarness, name: string, prefix: string) =>
  h.messages.filter((m) => m.to?.includes(name) && m.text.startsWith(prefix)).map((m) => m.text);

/** The file the shell wrote for the last attachment it was given. */
function writtenFile(text: string): Buffer {
  const path = /\(file written to (.+)\)/.exec(text)?.[1];
  if (!path) throw new Error(`no file in: ${text}`);
  return readFileSync(path);
}

describeEachDatabase('meetings and attendance', (db) => {
  it('warns at one below the limit, tells moderators at the limit, and forgets absences older than the window', async () => {
    const h = shellHarness(db());
    await h.run(SETUP);
    const when: Record<string, string> = {};
    // Bob sends a substitute to the March–July meetings (the Mondays before them), and misses the others. Alice
    // takes the roll after each meeting from the roll call she is sent, and never marks herself.
    const substitute = ['2026-03-02', '2026-04-06', '2026-05-04', '2026-06-01', '2026-07-06'];
    let rollCalls = 0;
    for (let week = 1; week <= 35; week++) {
      const out = await h.run(':advance 1w');
      const day = h.clock.now().toISOString().slice(0, 10);
      if (substitute.includes(day)) out.push(...(await h.run('@bob :press "Sending a substitute"')));
      const roll = out.find((m) => m.to?.includes('alice') && m.text.startsWith('Roll call for Chapter'));
      if (roll) {
        rollCalls++;
        const saidSubstitute = roll.text.includes('bob: not marked (said: substitute)');
        out.push(...(await h.run(`@alice :press "bob: ${saidSubstitute ? 'Substitute' : 'Absent'}"`)));
        out.push(...(await h.run('@alice :press "carol: Absent"')));
      }
      for (const m of out) when[m.text] = day;
    }
    expect(rollCalls).toBe(9); // one after each of the nine meetings, January's included
    const bobWarned = texts(h, 'bob', 'You were marked absent');
    expect(bobWarned.map((t) => when[t])).toEqual(['2026-02-09', '2026-09-07']);
    expect(bobWarned[0]).toContain('2 absences in the last 6 months; at 3 the moderators');
    expect(texts(h, 'alice', 'Attendance: bob')).toEqual([]);
    const carolTold = texts(h, 'alice', 'Attendance: carol');
    expect(when[carolTold[0]!]).toBe('2026-03-09');
    expect(carolTold[0]).toContain('carol has 3 absences in the last 6 months (the limit is 3)');
    expect(texts(h, 'carol', 'You were marked absent')).toHaveLength(1);
    // Alice's attendance was never taken: it counts for nothing, so she is never warned.
    expect(texts(h, 'alice', 'You were marked absent')).toEqual([]);
    expect(texts(h, 'alice', 'Attendance: alice')).toEqual([]);
    // Reminders came the day before each of the nine meetings, with the RSVP buttons.
    const reminders = h.messages.filter((m) => m.to?.includes('bob') && m.text.startsWith('Reminder: Chapter meets'));
    expect(reminders).toHaveLength(8); // January's came before any sweep ran
    expect(reminders[0]!.buttons).toEqual(['Attending', 'Absent', 'Sending a substitute']);
    // 35 weekly ticks of the whole scheduler (jobs, the three sweeps, the outbox) with a roll call after each meeting
  }, 120_000);

  it('moderators mark medical and late; medical and substitutes do not count; check-in is only open while meeting', async () => {
    const h = shellHarness(db());
    await h.run(`${SETUP}
:advance 22h
@bob :press "Check in"
:advance 20m
@carol :press "Check in"
`);
    expect(h.messages.at(-1)!.text).toContain('Checked in (late)');
    await h.run(`@alice /attendance member:@carol status:medical
:advance 2h
@bob :press "Check in"
`);
    expect(h.messages.at(-1)!.text).toContain('Check-in is open only while the meeting runs');
    await h.run('@alice /export what:attendance period:week');
    const rows = parseCsv(writtenFile(h.messages.at(-1)!.text).toString('utf8'));
    expect(rows[0]).toEqual(['meeting', 'starts_at', 'kind', 'title', 'meeting_status', 'member', 'rsvp', 'status']);
    // Alice neither checked in nor was marked: attendance not taken counts for nobody, so she has no row.
    expect(rows.slice(1).map((r) => [r[5], r[7]])).toEqual([
      ['bob', 'present'],
      ['carol', 'medical'],
    ]);
  });

  it('a cancelled date stays cancelled and an added event is on the calendar', async () => {
    const h = shellHarness(db());
    await h.run(`${SETUP}
@alice /meeting cancel date:2026-01-06 reason:"Epiphany"
@alice /meeting add title:"Visitors day" date:2026-01-15 time:18:30
@bob /meeting next
:advance 1w
:advance 2d10h
`);
    // (the day-before reminder falls due at 18:30 on the 14th: 19:00 is before the default quiet hours)
    expect(
      h.messages.some((m) => m.channel && m.text.includes('No meeting Tue, 6 Jan 2026, 07:00 at Town Hall: Epiphany')),
    ).toBe(true);
    expect(texts(h, 'bob', 'Chapter meets next')[0]).toContain('Visitors day: Thu, 15 Jan 2026, 18:30 at Town Hall');
    expect(texts(h, 'bob', 'Reminder: Chapter meets')).toEqual([
      expect.stringContaining('Visitors day: Thu, 15 Jan 2026, 18:30'),
    ]);
  });

  it('visitors: private details, a reminder before, a follow-up after, and the invite counts on the scorecard', async () => {
    const h = shellHarness(db());
    // bob's quiet hours end before the 07:00 meeting: a reminder held until the default 08:00 would come after it
    // starts, and is dropped (expiry.test.ts)
    await h.run(`${SETUP}
@bob /me quiet_hours:23:00-06:00
@bob /visitor invite name:"Sam Lee" contact:sam@example.com meeting:2026-01-06
:advance 12h
:advance 12h
@bob :press "Followed up"
@bob /visitor list
@carol /visitor list
@alice /visitor list
@bob /scorecard show period:week
`);
    expect(texts(h, 'bob', 'Your visitor Sam Lee is expected at Tue, 6 Jan 2026')).toHaveLength(1);
    expect(texts(h, 'bob', 'Your visitor Sam Lee was invited')).toHaveLength(1);
    expect(texts(h, 'bob', 'Noted: you followed up with Sam Lee')).toHaveLength(1);
    expect(texts(h, 'bob', 'Your visitors to Chapter')[0]).toContain('Sam Lee (sam@example.com), invited by bob');
    expect(texts(h, 'bob', 'Your visitors to Chapter')[0]).toContain('followed up');
    // Carol invited nobody; others did, so she is not told the group had no visitors.
    expect(texts(h, 'carol', 'You have invited no visitors')).toEqual([
      expect.stringContaining('members see only their own'),
    ]);
    expect(texts(h, 'carol', 'No visitors')).toEqual([]);
    expect(texts(h, 'alice', 'Visitors of Chapter')[0]).toContain('sam@example.com');
    for (const m of h.messages) {
      if (!m.to?.every((n) => n === 'bob' || n === 'alice')) expect(m.text).not.toContain('sam@example.com');
    }
    expect(texts(h, 'bob', 'Scorecard of bob')[0]).toMatch(/Visitors invited: 1 \(1\/week\) · 🟢 green/);
  });

  it('scorecard lights follow the thresholds the group sets', async () => {
    const h = shellHarness(db());
    await h.run(`${SETUP}
@bob /refer member:@carol prospect:"Jane Doe" contact:"jane@example.com" need:"A lease" temperature:4 consent:yes
@alice /scorecard settings metric:referralsGiven green:2 amber:1
@alice /scorecard show member:@bob period:week
@alice /scorecard settings metric:referralsGiven green:1 amber:0.5
@alice /scorecard show member:@bob period:week
@alice /scorecard settings metric:referralsGiven green:1 amber:3
`);
    const cards = texts(h, 'alice', 'Scorecard of bob');
    expect(cards[0]).toMatch(/Referrals given: 1 \(1\/week\) · 🟠 amber/);
    expect(cards[1]).toMatch(/Referrals given: 1 \(1\/week\) · 🟢 green/);
    expect(cards[1]).toMatch(/Attendance: — · ⚪ no data/);
    expect(cards[1]).toMatch(/1-to-1s held: 0 \(0\/week\) · 🔴 red/);
    expect(h.messages.at(-1)!.text).toContain('`amber` must not be above `green`');
  });

  it('the chart is a PNG of the expected size whose numbers are the text report’s', async () => {
    const h = shellHarness(db());
    await h.run(`${SETUP}
@bob /refer member:@carol prospect:"Jane Doe" contact:"jane@example.com" need:"A lease" temperature:4 consent:yes
@carol /refer member:@bob prospect:"Tom Roe" contact:"tom@example.com" need:"A roof" temperature:2 consent:yes
@bob /refer member:@carol prospect:"Ann Poe" contact:"ann@example.com" need:"A will" temperature:3 consent:yes kind:inside
@carol /referral update id:1 status:accepted
@carol /referral update id:1 status:won amount:1500
@alice /report chart period:week
`);
    const post = h.messages.find((m) => m.channel && m.text.startsWith('Chapter, the last week'))!;
    expect(post.text).toContain('3 referrals given by 3 members (most: bob 2, carol 1)');
    const png = writtenFile(post.text);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([CHART_WIDTH, CHART_HEIGHT]);

    const [{ g }] = (await h.core.db
      .select({ g: groups })
      .from(groups)
      .innerJoin(communities, eq(communities.id, groups.communityId))
      .where(eq(communities.platformRef, h.communityRef))) as [{ g: typeof groups.$inferSelect }];
    const now = h.clock.now();
    const report = await referralReport(
      h.core.db,
      g.communityId,
      g.id,
      periodStart('week', now),
      now,
      readSettings(g.settings).referrals,
    );
    const svg = renderChartSvg(await chartData(h.core.db, g, 'week', now));
    const drawn = (cls: string) =>
      Object.fromEntries(
        [...svg.matchAll(new RegExp(`class="bar ${cls}" data-member="([^"]+)" data-value="(\\d+)"`, 'g'))].map((m) => [
          m[1],
          Number(m[2]),
        ]),
      );
    const expected = report.map(chartMember);
    expect(drawn('given')).toEqual(Object.fromEntries(expected.map((m) => [m.name, m.given])));
    expect(drawn('received')).toEqual(Object.fromEntries(expected.map((m) => [m.name, m.received])));
    expect(drawn('given')).toEqual({ alice: 0, bob: 2, carol: 1 });
    const business = [...svg.matchAll(/class="point business" data-day="[^"]+" data-value="([\d.]+)"/g)].map((m) =>
      Number(m[1]),
    );
    expect(business.reduce((a, b) => a + b, 0)).toBe(1500);
    expect(svg).toContain('<desc id="d">Chapter, last week: 3 referrals given');
  });

  it('exports round-trip as CSV and carry prospects’ contacts only when moderators may see them', async () => {
    const h = shellHarness(db());
    await h.run(`${SETUP}
@bob /refer member:@carol prospect:"Jane, \\"JD\\" Doe" contact:"jane@example.com" need:"A lease" temperature:4 consent:yes
@alice /export what:referrals period:week
@alice /export what:members
`);
    const ref = parseCsv(writtenFile(texts(h, 'alice', 'referrals of Chapter')[0]!).toString('utf8'));
    expect(ref[0]).toEqual([
      'number',
      'created',
      'giver',
      'receiver',
      'kind',
      'temperature',
      'status',
      'amount',
      'currency',
      'closed',
    ]);
    expect(ref[1]!.slice(2, 7)).toEqual(['bob', 'carol', 'outside', '4', 'new']);
    expect(ref.flat().join(' ')).not.toContain('jane@example.com');
    const members = parseCsv(writtenFile(texts(h, 'alice', 'members of Chapter')[0]!).toString('utf8'));
    expect(members.slice(1).map((r) => [r[0], r[1], r[6]])).toEqual([
      ['alice', 'moderator', ''],
      ['bob', 'member', 'roofer'],
      ['carol', 'member', 'lawyer'],
    ]);
    await h.run(`@alice /referral settings moderators_see_contacts:yes
@alice /export what:referrals period:week
@bob /export what:pairings`);
    const open = parseCsv(writtenFile(texts(h, 'alice', 'referrals of Chapter')[1]!).toString('utf8'));
    expect(open[1]!.slice(-4)).toEqual(['Jane, "JD" Doe', 'jane@example.com', '', 'A lease']);
    expect(h.messages.at(-1)!.text).toContain('Only moderators can use /export');
  });
});
