import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { shellHarness } from '../support/shell.js';

// The clock starts on Monday 5 January 2026, 09:00 UTC (London's time in winter).
const setup = '@alice /setup name:"Peers" type:peer timezone:Europe/London';
const intro = (name: string) =>
  `@${name} /intro business:"${name} Ltd" category:"trade ${name}" pitch:"We help" ideal_referral:"Anyone"`;

interface Kind {
  /** What the member types in `/me nudge:…`; null for a group rule, which members cannot turn off. */
  nudge: string | null;
  /** What makes the message due, then the `:advance` that brings it. */
  setup: string;
  trigger: string;
  /** Who gets it, and a piece of its text. */
  who: string[];
  text: string;
}

/** Every scheduled or swept message a member gets by DM, each made due the way the bot makes it due. */
const KINDS: Record<string, Kind> = {
  'intro reminder (job)': {
    nudge: 'intro-reminder',
    setup: `${setup}\n:moderator bob\n${intro('carol')}`,
    trigger: ':advance 3d',
    who: ['bob'],
    text: 'haven’t introduced yourself',
  },
  '“Done?” at a commitment’s deadline (job)': {
    nudge: 'commitment-check',
    setup: `${setup}\n${intro('bob')}\n@bob /commit what:"call 3 prospects" by:wednesday`,
    trigger: ':advance 2d9h',
    who: ['bob'],
    text: 'Done? You committed to “call 3 prospects”',
  },
  'weekly give prompt (job)': {
    nudge: 'give-prompt',
    setup: `${setup}\n@alice /nudges nudge:give-prompt on:true\n${intro('bob')}\n${intro('carol')}`,
    trigger: ':advance 4w1d',
    who: ['bob'],
    text: 'Givers gain: you have not passed a referral',
  },
  'moderator’s announcement to everyone (job)': {
    nudge: null,
    setup: `${setup}\n${intro('bob')}\n@alice /nudge create schedule:"every monday 9:00" message:"Who will you invite?" to:everyone`,
    trigger: ':advance 7d',
    who: ['bob'],
    text: '📣 Peers: Who will you invite?',
  },
  'meeting reminder (meetings sweep)': {
    nudge: 'meeting-reminder',
    setup: `@alice /setup name:"Peers" type:peer timezone:Europe/London meeting_day:tuesday meeting_time:07:00\n${intro('bob')}`,
    trigger: ':advance 7d',
    who: ['bob'],
    text: 'Reminder: Peers meets',
  },
  'referral follow-up (accountability sweep, a group rule)': {
    nudge: null,
    setup: `${setup}\n${intro('bob')}\n${intro('carol')}
@bob /refer member:@carol prospect:"Jane Doe" contact:"jane@example.com" need:"Office coffee" temperature:3 consent:yes`,
    trigger: ':advance 5d',
    who: ['carol'],
    text: 'Reminder: referral #1',
  },
  'pairing: the member left over in a scheduled round (pairing sweep)': {
    nudge: 'pairing',
    setup: `@alice /setup name:"Peers" type:peer
${['bob', 'carol', 'dave'].map((n, i) => `@${n} /intro business:"${n} & Co" category:"trade ${String.fromCharCode(97 + i)}" pitch:"${n} pitch" ideal_referral:"Small businesses"`).join('\n')}
@alice /pair setup name:Coffee cadence:weekly day:monday time:09:00
@bob /pair join
@carol /pair join
@dave /pair join
@carol /pair exclude member:@dave`,
    trigger: ':advance 1w',
    // one of carol and dave is left over (seeded): both mute / set quiet hours
    who: ['carol', 'dave'],
    text: 'No Coffee match for you',
  },
};

describeEachDatabase('one delivery policy for every scheduled message', (database) => {
  for (const [name, k] of Object.entries(KINDS)) {
    describe(name, () => {
      const got = (h: ReturnType<typeof shellHarness>) =>
        h.messages.filter((m) => m.to?.some((n) => k.who.includes(n)) && m.text.includes(k.text));

      it('waits out the member’s quiet hours, then arrives once', async () => {
        const h = shellHarness(database());
        await h.run(k.setup);
        // quiet all day but the last minute: the window opens at 23:59 London time
        await h.run(k.who.map((n) => `@${n} /me quiet_hours:00:00-23:59`).join('\n'));
        await h.run(k.trigger);
        expect(got(h)).toEqual([]);
        await h.run(':advance 1d');
        expect(got(h)).toHaveLength(1);
      });

      if (k.nudge) {
        it(`is never sent to a member who turned “${k.nudge}” off`, async () => {
          const h = shellHarness(database());
          await h.run(k.setup);
          await h.run(k.who.map((n) => `@${n} /me nudge:${k.nudge} receive:false`).join('\n'));
          await h.run(`${k.trigger}\n:advance 1d`);
          expect(got(h)).toEqual([]);
        });
      }
    });
  }

  it('never holds what a member asked for: a button’s answer comes at once inside quiet hours', async () => {
    const h = shellHarness(database());
    await h.run(
      `${setup}\n${intro('bob')}\n@bob /commit what:"call 3 prospects" by:wednesday\n@bob /me quiet_hours:00:00-23:59`,
    );
    await h.run(':advance 2d9h\n:advance 1d');
    const asked = h.messages.filter((m) => m.to?.includes('bob') && m.text.startsWith('Done?'));
    expect(asked).toHaveLength(1);
    // still inside bob's quiet hours: his press is answered on the spot
    const answer = await h.run('@bob :press "Done"');
    expect(answer.some((m) => m.to?.includes('bob') && /done/i.test(m.text))).toBe(true);
  });
});
