import { and, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import {
  pairingEnrollments,
  pairingGroupMembers,
  pairingGroups,
  pairingRoundMembers,
  pairingRounds,
  referrals,
  roundOutcomes,
} from '../../db/schema.js';
import { ensureCommunity, findMemberByPlatformId, groupForChannel } from '../../src/communities/community-repo.js';
import type { OutgoingMessage } from '../../src/messages.js';
import { runPairingDue } from '../../src/pairing/pairing-due.js';
import { findProgram } from '../../src/pairing/program-repo.js';
import { linkReferralToRound } from '../../src/pairing/round-outcomes.js';
import { planRound, roundParticipants } from '../../src/pairing/round-plan.js';
import { closeRound, startRound } from '../../src/pairing/round-run.js';
import { describeEachDatabase } from '../support/databases.js';
import { type ShellHarness, shellHarness } from '../support/shell.js';

const intro = (n: string, i: number) =>
  `@${n} /intro business:"${n} Ltd" category:"trade ${String.fromCharCode(97 + i)}" pitch:"${n} pitch" ideal_referral:"Anyone"`;

/** A group with a weekly "Coffee" program that these members joined; returns what the services need. */
async function programWith(h: ShellHarness, names: string[], setup = '') {
  await h.run(`@mod /setup name:"Peers" type:peer
${names.map(intro).join('\n')}
@mod /pair setup name:Coffee cadence:weekly ${setup}
${names.map((n) => `@${n} /pair join`).join('\n')}`);
  const db = h.core.db;
  const community = await ensureCommunity(db, 'shell', h.communityRef, 'Test community');
  const group = (await groupForChannel(db, community.id, 'general'))!;
  const program = (await findProgram(db, group.id, 'Coffee'))!;
  const id = async (n: string) => (await findMemberByPlatformId(db, community.id, n))!.id;
  return { db, community, group, program, id };
}

const count = async (db: Db, table: typeof pairingRounds | typeof pairingGroups | typeof pairingRoundMembers) =>
  (await db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;

const pairsOf = async (db: Db, roundId: number): Promise<string[]> => {
  const rows = await db
    .select({ g: pairingGroupMembers.pairingGroupId, m: pairingGroupMembers.memberId })
    .from(pairingGroupMembers)
    .innerJoin(pairingGroups, eq(pairingGroups.id, pairingGroupMembers.pairingGroupId))
    .where(eq(pairingGroups.roundId, roundId));
  const by = new Map<number, number[]>();
  for (const r of rows) by.set(r.g, [...(by.get(r.g) ?? []), r.m]);
  return [...by.values()].map((ids) => ids.sort((a, b) => a - b).join('-'));
};

const DAY = 86_400_000;

describeEachDatabase('pairing rounds', (database) => {
  it('claims a scheduled slot once when two runners race for it', async () => {
    const h = shellHarness(database());
    const { db, program } = await programWith(h, ['ann', 'ben', 'cat', 'dan']);
    h.clock.set(new Date(program.nextRunAt!.getTime() + 60_000));
    const sent: OutgoingMessage[] = [];
    // two runs, each in its own transaction as a job's is, racing for the same slot
    const run = () => db.transaction((tx) => runPairingDue(tx, program.groupId, h.clock.now(), (m) => sent.push(m)));
    await Promise.all([run(), run()]);
    const rounds = await db.select().from(pairingRounds).where(eq(pairingRounds.programId, program.id));
    expect(rounds).toHaveLength(1);
    expect(rounds[0]!.slotKey).toBe(program.nextRunAt!.toISOString());
    expect(rounds[0]!.trigger).toBe('schedule');
    expect(sent.filter((m) => m.target.kind === 'conversation')).toHaveLength(2);
    // The next slot is a week on, in the group's zone.
    const [after] = await db.select().from(pairingRounds).where(eq(pairingRounds.id, rounds[0]!.id));
    expect(after!.endsAt.getTime() - program.nextRunAt!.getTime()).toBe(7 * DAY);
  });

  it('starts a slot already claimed as a no-op, and previews without writing', async () => {
    const h = shellHarness(database());
    const { db, group, program } = await programWith(h, ['ann', 'ben', 'cat']);
    const now = h.clock.now();
    const before = [
      await count(db, pairingRounds),
      await count(db, pairingGroups),
      await count(db, pairingRoundMembers),
    ];
    const plan = await planRound(db, program, group, now);
    expect(plan.result.groups).toHaveLength(1);
    expect([
      await count(db, pairingRounds),
      await count(db, pairingGroups),
      await count(db, pairingRoundMembers),
    ]).toEqual(before);
    const trigger = { trigger: 'manual' as const, slotKey: 'manual:test' };
    const first = await startRound(db, program, group, now, trigger, () => {});
    const second = await startRound(db, program, group, now, trigger, () => {});
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    // The round is the preview, reproduced from its stored seed.
    expect(first!.plan.seed).toBe(plan.seed);
    expect(first!.plan.result).toEqual(plan.result);
  });

  it('takes part: joined, not snoozed, not skipping, not paused, not left; everyone mode needs no join', async () => {
    const h = shellHarness(database());
    const { db, program, id } = await programWith(h, ['ann', 'ben', 'cat', 'dan', 'eve', 'fay']);
    await h.run(`@ben /pair snooze weeks:1
@cat /pair skip
@dan /pair leave
${intro('gil', 7)}`);
    await db
      .update(pairingEnrollments)
      .set({ status: 'paused' })
      .where(and(eq(pairingEnrollments.programId, program.id), eq(pairingEnrollments.memberId, await id('eve'))));
    const names = async (p: typeof program, at: Date) =>
      (await roundParticipants(db, p, at)).map((x) => x.member.displayName).sort();
    expect(await names(program, h.clock.now())).toEqual(['ann', 'fay']);
    // A week later the snooze is over; the skip lasts until a round runs.
    expect(await names(program, new Date(h.clock.now().getTime() + 8 * DAY))).toEqual(['ann', 'ben', 'fay']);
    // "everyone": gil (introduced, never joined) takes part; dan (left) and eve (paused) still do not.
    await h.run('@mod /pair setup name:Coffee who:everyone');
    const everyone = (await findProgram(db, program.groupId, 'Coffee'))!;
    expect(await names(everyone, h.clock.now())).toEqual(['ann', 'fay', 'gil']);
  });

  it('uses the history: a stable group of six meets everyone once in five rounds', async () => {
    const h = shellHarness(database());
    const { db, group, program } = await programWith(h, ['ann', 'ben', 'cat', 'dan', 'eve', 'fay']);
    const seen: string[] = [];
    for (let r = 0; r < 5; r++) {
      const at = new Date(h.clock.now().getTime() + r * 7 * DAY);
      const started = await startRound(db, program, group, at, { trigger: 'manual', slotKey: `manual:${r}` }, () => {});
      seen.push(...(await pairsOf(db, started!.round.id)));
      // Everyone answers, or three silent rounds would pause them all.
      await db
        .update(pairingRoundMembers)
        .set({ answer: 'met', answeredAt: at })
        .where(eq(pairingRoundMembers.roundId, started!.round.id));
    }
    expect(seen).toHaveLength(15);
    expect(new Set(seen).size).toBe(15);
  });

  it('pauses after three rounds in a row without an answer, counts a late answer, and tells once', async () => {
    const h = shellHarness(database());
    const { db, group, program, id } = await programWith(h, ['ann', 'ben']);
    const ann = await id('ann');
    const sent: OutgoingMessage[] = [];
    const rounds: number[] = [];
    const run = async (r: number) => {
      const at = new Date(h.clock.now().getTime() + r * 7 * DAY);
      const s = await startRound(db, program, group, at, { trigger: 'manual', slotKey: `m${r}` }, (m) => sent.push(m));
      rounds.push(s!.round.id);
      // ben answers every round; ann never does.
      await db
        .update(pairingRoundMembers)
        .set({ answer: 'met', answeredAt: at })
        .where(and(eq(pairingRoundMembers.roundId, s!.round.id), eq(pairingRoundMembers.memberId, await id('ben'))));
    };
    await run(0);
    await run(1);
    // ann answers round 1 late, after it was closed by round 2.
    await db
      .update(pairingRoundMembers)
      .set({ answer: 'met', answeredAt: h.clock.now() })
      .where(and(eq(pairingRoundMembers.roundId, rounds[0]!), eq(pairingRoundMembers.memberId, ann)));
    await run(2);
    await run(3); // closes round 3: rounds 1 (answered late), 2, 3 — not three silent rounds
    const pausedNotes = () => sent.filter((m) => m.content.text.includes('paused your pairing'));
    expect(pausedNotes()).toHaveLength(0);
    await closeRound(db, rounds[3]!, h.clock.now(), (m) => sent.push(m)); // rounds 2, 3, 4: paused
    await closeRound(db, rounds[3]!, h.clock.now(), (m) => sent.push(m)); // a second close does nothing
    expect(pausedNotes()).toHaveLength(1);
    expect(pausedNotes()[0]!.target).toEqual({ kind: 'dm', memberId: ann });
    expect(sent.filter((m) => m.content.text.startsWith('Paused in Coffee'))).toHaveLength(1);
    const [e] = await db
      .select()
      .from(pairingEnrollments)
      .where(and(eq(pairingEnrollments.programId, program.id), eq(pairingEnrollments.memberId, ann)));
    expect(e!.status).toBe('paused');
  });

  it('links a referral slip to the 1-to-1 whose "A referral" outcome its giver recorded', async () => {
    const h = shellHarness(database());
    const { db, community, id } = await programWith(h, ['ann', 'ben']);
    await h.run(`@mod /pair start
:advance 4d
@ann :press "Met"
@ann :press "A referral"`);
    let numbered = 0;
    const slip = async (giver: number, receiver: number) => {
      const [r] = await db
        .insert(referrals)
        .values({
          communityId: community.id,
          number: ++numbered,
          giverId: giver,
          receiverId: receiver,
          temperature: 3,
          kind: 'outside',
          createdAt: h.clock.now(),
        })
        .returning();
      return r!;
    };
    const [ann, ben] = [await id('ann'), await id('ben')];
    expect(await linkReferralToRound(db, await slip(ben, ann))).toBeNull(); // ben recorded no referral outcome
    const first = await slip(ann, ben);
    const linked = await linkReferralToRound(db, first);
    expect(linked).not.toBeNull();
    expect(await linkReferralToRound(db, await slip(ann, ben))).toBeNull(); // one outcome, one slip
    const [o] = await db.select().from(roundOutcomes).where(eq(roundOutcomes.id, linked!));
    expect(o!.referralId).toBe(first.id);
    expect(o!.kind).toBe('referral');
  });
});
