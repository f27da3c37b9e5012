import { and, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { groupMemberships, members, profiles } from '../../db/schema.js';
import { memberJoined } from '../../src/communities/community-events.js';
import { categoryKey } from '../../src/members/categories.js';
import { PROFILES } from '../fixtures/profiles.js';
import { describeEachDatabase } from '../support/databases.js';
import { shellHarness } from '../support/shell.js';

const intro = (who: string, [category, business, pitch, ideal, area]: (typeof PROFILES)[number]) =>
  `@${who} /intro business:"${business}" category:"${category}" pitch:"${pitch}" ideal_referral:"${ideal}" area:"${area}"`;

describeEachDatabase('members services', (db) => {
  it('ranks /find results over a realistic chamber of 56 members', async () => {
    const h = shellHarness(db());
    await h.run('@admin /setup name:"Chamber" type:chamber');
    await h.run(PROFILES.map((p, i) => intro(`m${i}`, p)).join('\n'));
    const top = async (words: string) => {
      const [reply] = await h.run(`@admin /find ${words}`);
      return reply!.text.split('\n').filter((l) => l.startsWith('• '));
    };
    expect((await top('leaking roof'))[0]).toContain('Summit Roofing');
    expect((await top('bookkeeping for cafes'))[0]).toContain('Tidy Books');
    expect((await top('wedding'))[0]).toContain('Ever After Events');
    const back = (await top('back pain')).slice(0, 2).join(' ');
    expect(back).toContain('Motion Physio');
    expect(back).toContain('Aligned Chiropractic');
    const landlords = await top('landlords');
    expect(landlords.length).toBeGreaterThanOrEqual(4);
    for (const line of landlords.slice(0, 4)) expect(line.toLowerCase()).toMatch(/landlord/);
    expect(await top('quantum chromodynamics')).toEqual([]);
  });

  it('keeps one profile when the same form is submitted twice at once', async () => {
    const h = shellHarness(db());
    await h.run('@admin /setup name:"Peers" type:peer');
    const inv = {
      platform: 'shell' as const,
      community: { ref: h.communityRef, name: 'Test community' },
      channelRef: 'general',
      actor: { platformUserId: 'dup', displayName: 'dup' },
      input: {
        kind: 'command' as const,
        name: 'intro',
        options: { business: 'Dup Ltd', category: 'baker', pitch: 'Bread', ideal_referral: 'Cafes' },
      },
    };
    const results = await Promise.all([
      h.core.dispatcher.dispatch(inv, h.session.capabilities),
      h.core.dispatcher.dispatch(inv, h.session.capabilities),
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['ok', 'ok']);
    const rows = await db()
      .db.select({ n: sql<number>`count(*)::int` })
      .from(profiles)
      .innerJoin(members, eq(members.id, profiles.memberId))
      .where(eq(members.platformUserId, 'dup'));
    expect(rows[0]!.n).toBe(1);
  });

  it('gives a contested seat to exactly one of two members claiming it at once', async () => {
    const h = shellHarness(db());
    await h.run('@admin /setup name:"Chapter" type:peer one_seat:true');
    const claim = (who: string) =>
      h.core.dispatcher.dispatch(
        {
          platform: 'shell',
          community: { ref: h.communityRef, name: 'Test community' },
          channelRef: 'general',
          actor: { platformUserId: who, displayName: who },
          input: {
            kind: 'command',
            name: 'intro',
            options: { business: `${who} Plumbing`, category: 'plumber', pitch: 'Pipes', ideal_referral: 'Homes' },
          },
        },
        h.session.capabilities,
      );
    const results = await Promise.all([claim('p1'), claim('p2')]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['ok', 'user_error']);
    expect(results.find((r) => r.outcome === 'user_error')!.reply.text).toContain('plumber seat');
  });

  it('serves one profile across two groups, with a seat and a role per group', async () => {
    const h = shellHarness(db());
    await h.run('@alice /setup name:"Chamber" type:chamber');
    h.session.channel = 'referrals';
    await h.run('@alice /setup name:"Referral Circle" type:referral intro_channel:circle-intros');
    h.session.channel = 'general';
    await h.run(intro('bob', PROFILES[1]!));
    h.session.channel = 'referrals';
    const [applied] = await h.run('@bob /intro');
    expect(applied!.text).toContain('by application');
    await h.run('@alice /approve member:bob');
    const memberships = await db()
      .db.select({ status: groupMemberships.status, seat: groupMemberships.seatKey, role: groupMemberships.role })
      .from(groupMemberships)
      .innerJoin(members, eq(members.id, groupMemberships.memberId))
      .where(and(eq(members.platformUserId, 'bob')));
    expect(memberships).toHaveLength(2);
    // Seat keys are confusable skeletons (TR 39), compared rather than read.
    expect(
      memberships.every((m) => m.status === 'active' && m.seat === categoryKey('plumber') && m.role === 'member'),
    ).toBe(true);
    expect(
      h.messages.filter((m) => m.channel === 'circle-intros' && m.text.includes('FlowRight Plumbing')),
    ).toHaveLength(1);
    expect(h.messages.filter((m) => m.channel === 'intros' && m.text.includes('FlowRight Plumbing'))).toHaveLength(1);
    // an edit reaches the card in both groups
    const edit = await h.run('@bob /intro pitch:"Burst pipes fixed tonight"');
    expect(
      edit
        .filter((m) => m.edited && m.text.includes('Burst pipes'))
        .map((m) => m.channel)
        .sort(),
    ).toEqual(['circle-intros', 'intros']);
    const count = await db()
      .db.select({ n: sql<number>`count(*)::int` })
      .from(profiles)
      .innerJoin(members, eq(members.id, profiles.memberId))
      .where(eq(members.platformUserId, 'bob'));
    expect(count[0]!.n).toBe(1);
  });

  it('welcomes a newcomer privately once a group exists', async () => {
    const h = shellHarness(db());
    const event = {
      platform: 'shell' as const,
      communityRef: h.communityRef,
      communityName: 'Test community',
      userId: 'newbie',
      displayName: 'Newbie',
    };
    expect(await memberJoined(h.core, h.session, event)).toBe(false);
    expect(h.messages).toHaveLength(0);
    await h.run('@alice /setup name:"Referral Chapter" type:referral');
    expect(await memberJoined(h.core, h.session, { ...event, isBot: true })).toBe(false);
    expect(await memberJoined(h.core, h.session, event)).toBe(true);
    const welcome = h.messages.at(-1)!;
    expect(welcome).toMatchObject({ to: ['newbie'], private: true });
    expect(welcome.text).toContain('Welcome, Newbie! Referral Chapter is a closed referral group');
    expect(welcome.text).toContain('/intro');
  });

  it('never shows one community’s members to another', async () => {
    const a = shellHarness(db());
    const b = shellHarness(db());
    await a.run(`@admin /setup name:"Alpha"\n${intro('zed', PROFILES[0]!)}`);
    await b.run('@admin /setup name:"Beta"');
    const [profile] = await b.run('@admin /profile zed');
    expect(profile!.text).toContain('don’t know a member “zed”');
    const [found] = await b.run('@admin /find roof');
    expect(found!.text).toContain('No member’s card matches');
    const [dir] = await b.run('@admin /directory');
    expect(dir!.text).toContain('Nobody has introduced themselves yet');
  });
});
