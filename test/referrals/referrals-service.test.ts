import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { referralEvents, referrals } from '../../db/schema.js';
import type { Invocation } from '../../src/dispatch/invocation.js';
import { encodeAction } from '../../src/messages.js';
import { nextStage } from '../../src/referrals/accountability.js';
import { canMove, STATUSES } from '../../src/referrals/lifecycle.js';
import { amountSchema, currencySchema, formatTotals } from '../../src/referrals/money.js';
import { parseCsv, toCsv } from '../../src/render/csv.js';
import { describeEachDatabase } from '../support/databases.js';
import { shellHarness } from '../support/shell.js';

const SETUP = `
@alice /setup name:"Chapter" type:peer
@bob /intro business:"Bobs Roofs" category:roofer pitch:"Roofs" ideal_referral:"Homeowners"
@carol /intro business:"Carol Law" category:lawyer pitch:"Contracts" ideal_referral:"Startups"
@bob /refer member:@carol prospect:"Jane Doe" contact:"jane@example.com" need:"A lease review" temperature:4 consent:yes
`;

describe('referral rules', () => {
  it('moves only forward; closed referrals never reopen', () => {
    expect(canMove('new', 'accepted')).toBe(true);
    expect(canMove('accepted', 'won')).toBe(true);
    for (const closed of ['won', 'lost', 'not_a_fit', 'withdrawn'] as const) {
      for (const to of STATUSES) expect(canMove(closed, to)).toBe(false);
    }
    expect(canMove('contacted', 'accepted')).toBe(false);
    expect(canMove('accepted', 'withdrawn')).toBe(false);
  });

  it('accepts positive amounts with at most two decimals and three-letter currencies', () => {
    expect(amountSchema.parse('1,200.50')).toBe('1200.50');
    expect(amountSchema.parse(' 300 ')).toBe('300');
    for (const bad of ['0', '-5', '12.345', 'ten', '1e5', '']) expect(amountSchema.safeParse(bad).success).toBe(false);
    expect(currencySchema.parse('eur')).toBe('EUR');
    expect(currencySchema.safeParse('EURO').success).toBe(false);
  });

  it('never sums across currencies', () => {
    expect(
      formatTotals([
        { currency: 'EUR', total: '1200' },
        { currency: 'USD', total: '300.5' },
      ]),
    ).toBe('EUR 1,200 · USD 300.50');
  });

  it('round-trips CSV with commas, quotes and line breaks, and defuses formulas', () => {
    const rows = [
      ['Ann, "the roofer"', 'line1\nline2', 3],
      ['=HYPERLINK("x")', '', null],
    ];
    const parsed = parseCsv(toCsv(['a', 'b', 'c'], rows));
    expect(parsed).toEqual([
      ['a', 'b', 'c'],
      ['Ann, "the roofer"', 'line1\nline2', '3'],
      ['\'=HYPERLINK("x")', '', ''],
    ]);
  });
});

describeEachDatabase('referral services', (db) => {
  it('a double-clicked Accept moves the referral once', async () => {
    const h = shellHarness(db());
    await h.run(SETUP);
    const press = (id: string): Invocation => ({
      platform: 'shell',
      community: { ref: h.communityRef, name: 'Test community' },
      channelRef: 'general',
      actor: { platformUserId: 'carol', displayName: 'carol' },
      interactionId: id,
      input: {
        kind: 'action',
        actionId: encodeAction({ command: 'referral update', action: 'move', arg: '1|accepted' }),
      },
    });
    const results = await Promise.all([
      h.core.dispatcher.dispatch(press('click-1'), h.session.capabilities),
      h.core.dispatcher.dispatch(press('click-2'), h.session.capabilities),
    ]);
    expect(results.map((r) => r.reply.text).sort()).toEqual([
      'Referral #1 is already accepted.',
      'Referral #1 is now accepted.',
    ]);
    const again = await h.core.dispatcher.dispatch(press('click-1'), h.session.capabilities);
    expect(again.outcome).toBe('duplicate');
    const [r] = await db()
      .db.select()
      .from(referrals)
      .where(sql`${referrals.communityId} = (select id from communities where platform_ref = ${h.communityRef})`);
    const events = await db().db.select().from(referralEvents).where(eq(referralEvents.referralId, r!.id));
    expect(events.map((e) => e.toStatus)).toEqual(['new', 'accepted']);
  });

  it('numbers referrals per community and serialises concurrent /refer commands', async () => {
    const h = shellHarness(db());
    await h.run(SETUP);
    const refer = (n: number): Invocation => ({
      platform: 'shell',
      community: { ref: h.communityRef, name: 'Test community' },
      channelRef: 'general',
      actor: { platformUserId: 'bob', displayName: 'bob' },
      input: {
        kind: 'command',
        name: 'refer',
        options: {
          member: 'carol',
          prospect: `P ${n}`,
          contact: `p${n}@example.com`,
          need: 'Help',
          temperature: '3',
          consent: 'yes',
        },
      },
    });
    const out = await Promise.all(
      [2, 3, 4, 5].map((n) => h.core.dispatcher.dispatch(refer(n), h.session.capabilities)),
    );
    expect(out.every((o) => o.outcome === 'ok')).toBe(true);
    const numbers = rowsOf<{ number: number }>(
      await db().db.execute(
        sql`select number from referrals where community_id = (select id from communities where platform_ref = ${h.communityRef}) order by number`,
      ),
    ).map((r) => Number(r.number));
    expect(numbers).toEqual([1, 2, 3, 4, 5]);
  });

  it('sends each accountability step once, even when two sweeps run at the same moment', async () => {
    const h = shellHarness(db());
    await h.run(SETUP);
    h.clock.advance(49 * 3_600_000);
    await Promise.all([h.core.runDue(h.session, h.communityRef), h.core.runDue(h.session, h.communityRef)]);
    await h.core.runDue(h.session, h.communityRef);
    expect(h.messages.filter((m) => m.text.startsWith('Reminder: referral #1'))).toHaveLength(1);
  });

  it('forget-me removes prospects’ details and the member from slips but keeps anonymised counts', async () => {
    const h = shellHarness(db());
    await h.run(`${SETUP}
@bob /forget-me
@bob :press "Delete my data"
@alice /report referrals
@carol /referral 1
`);
    const row = rowsOf<Record<string, unknown>>(
      await db().db.execute(
        sql`select giver_id, prospect_name, prospect_contact, need, temperature from referrals where community_id = (select id from communities where platform_ref = ${h.communityRef})`,
      ),
    )[0]!;
    expect(row).toMatchObject({ giver_id: null, prospect_name: null, prospect_contact: null, need: null });
    const report = h.messages.find((m) => m.text.startsWith('Referral report'))!;
    expect(report.text).toMatch(/carol: gave 0 .*received 1/);
    const shown = h.messages.at(-1)!;
    expect(shown.text).toContain('a former member');
    expect(shown.text).not.toContain('jane@example.com');
  });
});

describe('accountability escalation', () => {
  const H = 3_600_000;
  const t0 = new Date('2026-01-05T09:00:00Z');
  const at = (h: number) => new Date(t0.getTime() + h * H);
  it('reminds, then tells the giver, then the moderators, a day apart', () => {
    expect(nextStage(at(47), t0, 48 * H, 24, 0, null)).toBe(0);
    expect(nextStage(at(48), t0, 48 * H, 24, 0, null)).toBe(1);
    expect(nextStage(at(71), t0, 48 * H, 24, 1, at(48))).toBe(0);
    expect(nextStage(at(72), t0, 48 * H, 24, 1, at(48))).toBe(2);
    expect(nextStage(at(96), t0, 48 * H, 24, 2, at(72))).toBe(3);
    expect(nextStage(at(500), t0, 48 * H, 24, 3, at(96))).toBe(0);
  });
  it('never skips a step after downtime, and keeps the spacing from the late reminder', () => {
    expect(nextStage(at(200), t0, 48 * H, 24, 0, null)).toBe(1);
    expect(nextStage(at(201), t0, 48 * H, 24, 1, at(200))).toBe(0);
    expect(nextStage(at(224), t0, 48 * H, 24, 1, at(200))).toBe(2);
  });
});
