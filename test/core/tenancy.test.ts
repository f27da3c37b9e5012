import type { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DispatchResult } from '../../src/dispatch/dispatcher.js';
import { GROUP_OPTION } from '../../src/messages.js';
import { encodeRerun, PAGE_COMMAND, rerunOf } from '../../src/render/pages.js';
import { describeEachDatabase } from '../support/databases.js';
import { ACTION_ARGS, COMMAND_OPTIONS, INSIDER, OPEN_TO_ANYONE } from './tenancy-cases.js';
import {
  A,
  type Actions,
  B,
  buildWorld,
  type Community,
  dispatcherOn,
  fingerprint,
  fingerprintQuery,
  inRolledBack,
  ok,
  registry,
  SECRETS,
  type World,
  wroteInTransaction,
} from './tenancy-world.js';

/**
 * Every command, button, form and page button, run by each role outside Downtown (a moderator, a member and a
 * removed member of North, people who never joined, Downtown's own removed member and stranger, and community B's
 * moderator and member) against Downtown's group and objects: the answer is a refusal that reveals nothing, exactly
 * like a group or id that does not exist, and no table changes. The cases come from the registry, so a new command
 * or button fails the coverage test until it has one. The world is built once; each case runs in a transaction that
 * is rolled back, and "no table changed" is read from the transaction's write counters (falling back to a hash of
 * every table when something was written and rolled back to a savepoint).
 */
const outsiders: [string, Community, string][] = [
  ['North’s moderator', A, 'nmod'],
  ['a North member', A, 'nm1'],
  ['North’s removed member', A, 'nrm'],
  ['a stranger in A', A, 'nstranger'],
  ['Downtown’s removed member', A, 'drm'],
  ['Downtown’s stranger', A, 'dstranger'],
  ['Far’s moderator (community B)', B, 'fmod'],
  ['a Far member (community B)', B, 'fm1'],
];
/** Where each outsider acts: their own group's channel and their DM (community A's people also Downtown's channel). */
const ownChannels = (actor: string) => [
  actor.startsWith('f') ? 'far' : actor.startsWith('n') ? 'north' : 'downtown',
  `dm-${actor}`,
];
const MISSING = 99999;

const commandNames = registry.all().map((c) => c.def.name);
const actionKeys = registry.all().flatMap((c) => Object.keys(c.def.actions ?? {}).map((a) => `${c.def.name}:${a}`));
const pagedNames = registry
  .all()
  .filter((c) => c.def.readOnly)
  .map((c) => c.def.name);

const normal = (r: DispatchResult) => r.reply.text.replace(/#\d+/g, '#N');

describeEachDatabase('tenancy', (db) => {
  let w: World;
  let query: ReturnType<typeof sql>;
  let world: Record<string, string>;
  /** Each outsider's answer for a button, form or page of a group that does not exist. */
  const gone = new Map<string, DispatchResult>();

  beforeAll(async () => {
    w = await buildWorld(db());
    query = await fingerprintQuery(db().db);
    world = await fingerprint(db().db, query);
    for (const [, community, actor] of outsiders) {
      const { out } = await inCase((x) => x.press(community, actor, `dm-${actor}`, `${MISSING}~directory:page:1`));
      gone.set(actor, out);
    }
  }, 120_000);

  /** Runs one case in a rolled-back transaction: its results, and the tables it left changed. */
  async function inCase<T>(body: (x: Actions) => Promise<T>, compare = true): Promise<{ out: T; changed: string[] }> {
    return inRolledBack(db(), async (tx) => {
      const out = await body(dispatcherOn(tx));
      if (!compare || !(await wroteInTransaction(tx))) return { out, changed: [] };
      const now = await fingerprint(tx, query);
      return { out, changed: Object.keys(now).filter((t) => now[t] !== world[t]) };
    });
  }

  type Run = [where: string, community: Community, r: DispatchResult, missing: DispatchResult | undefined];

  /**
   * Runs `body` for every outsider and checks what the runs left changed: all in one rolled-back transaction when
   * nothing may change (any change fails the case anyway), each in its own when the case is open to anyone, so that
   * what one outsider did (joining, say) is not seen by the next.
   */
  async function acrossOutsiders(
    label: string,
    open: { tables: string[] } | undefined,
    body: (x: Actions, community: Community, actor: string) => Promise<Run[]>,
  ): Promise<Run[]> {
    const runs: Run[] = [];
    for (const batch of open ? outsiders.map((o) => [o]) : [outsiders]) {
      const { out, changed } = await inCase(async (x) => {
        const mine: Run[] = [];
        for (const [, community, actor] of batch) mine.push(...(await body(x, community, actor)));
        return mine;
      });
      runs.push(...out);
      const allowed = open?.tables ?? [];
      const who = batch.map(([, , actor]) => actor).join(', ');
      if (!allowed.includes('*'))
        expect(
          changed.filter((t) => !allowed.includes(t)),
          `${label} by ${who} changed a table`,
        ).toEqual([]);
    }
    return runs;
  }

  /** A refusal that reveals none of `secrets`, sends nothing and, when `missing` is given, answers as it does. */
  function expectRefusal(where: string, r: DispatchResult, secrets: string[], missing?: DispatchResult) {
    expect(r.outcome, `${where}: ${r.reply.text}`).toBe('user_error');
    expect(r.outgoing, where).toEqual([]);
    const shown = JSON.stringify(r.reply);
    for (const s of secrets) expect(shown, `${where} reveals ${s}`).not.toContain(s);
    if (missing) expect(normal(r), `${where}: not the answer for a missing one`).toBe(normal(missing));
  }

  it('every command, button and page button has a case, and every case a command', () => {
    const options = COMMAND_OPTIONS({} as World);
    const args = ACTION_ARGS({} as World);
    expect(Object.keys(options).sort()).toEqual([...commandNames].sort());
    expect(Object.keys(args).sort()).toEqual([...actionKeys].sort());
    const open = [
      ...registry
        .all()
        .filter((c) => c.def.access === 'anyone' && !c.def.bootstrap)
        .map((c) => c.def.name),
      ...actionKeys.filter((k) => {
        const [command, action] = splitAction(k);
        return registry.get(command)?.def.actions?.[action]?.access === 'anyone';
      }),
    ];
    expect(Object.keys(OPEN_TO_ANYONE).sort()).toEqual(open.sort());
  });

  it('the change detector sees a change (so “changes nothing” can fail)', async () => {
    const { changed } = await inCase((x) => ok(x.cmd(A, 'dm1', 'downtown', 'thanks', { member: 'dm2', amount: '5' })));
    expect(changed.length).toBeGreaterThan(0);
  });

  it('Downtown’s own members reach Downtown’s objects (the suite is not refusing everyone)', async () => {
    const { out } = await inCase(async (x) => ({
      member: await ok(x.cmd(A, 'dm2', 'dm-dm2', 'referral show', { id: w.referral })),
      moderator: await ok(x.cmd(A, 'dmod', 'downtown', 'referral show', { id: w.referral })),
    }));
    expect(JSON.stringify(out.member.reply)).toContain('persephone@vale.example');
    // Downtown keeps "moderators see contacts" off: its moderator sees the slip without the contact.
    expect(JSON.stringify(out.moderator.reply)).not.toContain('persephone@vale.example');
  });

  describe.each(commandNames)('/%s', (name) => {
    it('is refused to everyone outside Downtown, as a missing group or id is, and changes nothing', async () => {
      const { def } = registry.get(name)!;
      const options = COMMAND_OPTIONS(w)[name]!;
      const open = OPEN_TO_ANYONE[name];
      const insider = INSIDER[name] ?? (def.access === 'moderator' ? 'dmod' : 'dm1');
      const fromForm = Boolean(def.form);
      // The options are valid: Downtown's own people are not refused them.
      const control = await inCase((x) => x.cmd(A, insider, 'downtown', name, options, { fromForm }), false);
      expect(['ok', 'user_error'], control.out.reply.text).toContain(control.out.outcome);
      expect(control.out.code ?? 'ok', `${name} by ${insider}: ${control.out.reply.text}`).not.toMatch(
        /forbidden|bad_option|unknown_command|not_setup/,
      );
      // The answer for an id that does not exist (the same for everyone: it is given before any right is checked).
      const unknown = def.scope
        ? (await inCase((x) => x.cmd(A, 'dm1', 'dm-dm1', name, { ...options, [def.scope!.option]: MISSING }))).out
        : undefined;
      const out = await acrossOutsiders(`/${name}`, open, async (x, community, actor) => {
        const runs: Run[] = [];
        const carried = (g: number) =>
          x.cmd(community, actor, `dm-${actor}`, name, { ...options, [GROUP_OPTION]: String(g) }, { fromForm });
        // A form or page of Downtown's, submitted from elsewhere: as one of a group that does not exist. (An id
        // decides the group itself, whatever group is carried: naming it is the case below.)
        if (!def.scope) {
          const missing = open && community === A ? undefined : gone.get(actor);
          runs.push([`carried by ${actor}`, community, await carried(w.downtown), missing]);
        }
        if (community === A) {
          const r = await x.cmd(A, actor, 'downtown', name, options, { fromForm });
          runs.push([`by ${actor} in Downtown’s channel`, A, r, undefined]);
        }
        // An id of Downtown's, named anywhere (referral numbers are per community: B cannot name A's).
        if (def.scope && community === A) {
          for (const ch of ownChannels(actor)) {
            const named = (id: number) =>
              x.cmd(community, actor, ch, name, { ...options, [def.scope!.option]: id }, { fromForm });
            runs.push([
              `naming Downtown’s by ${actor} in ${ch}`,
              A,
              await named(options[def.scope.option] as number),
              unknown,
            ]);
          }
        }
        return runs;
      });
      for (const [where, community, r, missing] of out) {
        if (open) {
          const shown = JSON.stringify([r.reply, r.outgoing]);
          const hidden = community === A ? SECRETS.slice(1, 6) : SECRETS;
          for (const s of hidden) expect(shown, `/${name} ${where} reveals ${s}`).not.toContain(s);
          if (missing) expect(normal(r), `/${name} ${where}`).toBe(normal(missing));
        } else {
          // In Downtown's channel the refusal may name Downtown, whose channel it is.
          expectRefusal(
            `/${name} ${where}`,
            r,
            where.includes('Downtown’s channel') ? SECRETS.slice(1) : SECRETS,
            missing,
          );
          if (!missing && !def.scope)
            expect(r.reply.text).toMatch(/no longer a member of Downtown|Only members of Downtown|Only moderators/);
        }
      }
    });
  });

  describe.each(actionKeys)('button %s', (key) => {
    it('is refused to everyone outside Downtown, as a missing group or object is, and changes nothing', async () => {
      const [command, action] = splitAction(key);
      const def = registry.get(command)!.def.actions![action]!;
      const arg = ACTION_ARGS(w)[key]!;
      const open = OPEN_TO_ANYONE[key];
      const id = (group: number | null, a: string) => `${group === null ? '' : `${group}~`}${command}:${action}:${a}`;
      const missingArg = arg.replace(/^\d+/, String(MISSING));
      const unknown = def.scope
        ? (await inCase((x) => x.press(A, 'dm1', 'dm-dm1', id(null, missingArg)))).out
        : undefined;
      const out = await acrossOutsiders(key, open, async (x, community, actor) => {
        const runs: Run[] = [];
        if (def.scope) {
          if (community === B && command.startsWith('referral')) return runs;
          // The object decides the group, wherever the button is pressed.
          for (const ch of [...ownChannels(actor), ...(community === A ? ['downtown'] : [])]) {
            runs.push([`by ${actor} in ${ch}`, community, await x.press(community, actor, ch, id(null, arg)), unknown]);
          }
        } else {
          // A button of Downtown's message, pressed in a DM: as a button of a group that is gone.
          const dm = `dm-${actor}`;
          const missing = open && community === A ? undefined : gone.get(actor);
          runs.push([
            `carried by ${actor}`,
            community,
            await x.press(community, actor, dm, id(w.downtown, arg)),
            missing,
          ]);
        }
        return runs;
      });
      for (const [where, community, r, missing] of out) {
        if (open) {
          const shown = JSON.stringify([r.reply, r.outgoing]);
          for (const s of community === A ? SECRETS.slice(1, 6) : SECRETS)
            expect(shown, `${key} ${where} reveals ${s}`).not.toContain(s);
        } else expectRefusal(`${key} ${where}`, r, SECRETS, missing);
      }
    });
  });

  describe.each(pagedNames)('page button of /%s', (name) => {
    it('turned outside Downtown answers as a page of a group that does not exist', async () => {
      const options = COMMAND_OPTIONS(w)[name]!;
      const page = (g: number) =>
        `${PAGE_COMMAND}:1:${encodeRerun(rerunOf(name, { ...options, [GROUP_OPTION]: String(g) }))}`;
      // An id decides its own group, whatever group a page carries (the /referral show cases name it).
      if (registry.get(name)?.def.scope) return;
      const out = await acrossOutsiders(`page of /${name}`, undefined, async (x, community, actor) => [
        [`by ${actor}`, community, await x.press(community, actor, `dm-${actor}`, page(w.downtown)), gone.get(actor)],
      ]);
      for (const [where, , r, missing] of out) {
        if (OPEN_TO_ANYONE[name]) {
          for (const s of SECRETS.slice(1, 6))
            expect(JSON.stringify(r.reply), `page of /${name} ${where}`).not.toContain(s);
        } else expectRefusal(`page of /${name} ${where}`, r, SECRETS, missing);
      }
    });
  });

  // Commands whose options name members: run in North's own channel by North's people, naming Downtown's.
  const memberOptionCommands = registry
    .all()
    .filter((c) => c.options.some((o) => o.kind === 'member'))
    .map((c) => c.def.name);
  it('has member-option commands to check (the next case is not vacuous)', () => {
    expect(memberOptionCommands).toEqual(expect.arrayContaining(['profile', 'connect', 'thanks', 'refer']));
  });
  describe.each(memberOptionCommands)('/%s naming Downtown’s members from North', (name) => {
    it('answers as for a member nobody knows, reveals nothing and changes nothing', async () => {
      const cmd = registry.get(name)!;
      const options = COMMAND_OPTIONS(w)[name]!;
      // Every member option, the optional ones too (`/balance member:dm2`), names one of Downtown's people.
      const memberOptions = cmd.options.filter((o) => o.kind === 'member').map((o) => o.name);
      const downtowners = memberOptions.map((o) => String(options[o] ?? 'dm2'));
      const actor = cmd.def.access === 'moderator' ? 'nmod' : 'nm1';
      const naming = (who: string) => ({
        ...options,
        ...Object.fromEntries(memberOptions.map((o, i) => [o, who === 'downtown' ? downtowners[i] : 'nobody-here'])),
      });
      const fromForm = Boolean(cmd.def.form);
      const { out, changed } = await inCase(async (x) => [
        await x.cmd(A, actor, 'north', name, naming('downtown'), { fromForm }),
        await x.cmd(A, actor, 'north', name, naming('nobody'), { fromForm }),
      ]);
      const [named, nobody] = out as [DispatchResult, DispatchResult];
      expect(changed, `/${name} by ${actor} changed`).toEqual([]);
      // The answer may repeat the name the actor typed, and nothing else of Downtown's.
      const secrets = SECRETS.filter((x) => !downtowners.includes(x));
      expectRefusal(`/${name} by ${actor} in North naming Downtown’s`, named, secrets, undefined);
      expect(normal(named).replace(/“[^”]*”/g, '“X”')).toBe(normal(nobody).replace(/“[^”]*”/g, '“X”'));
    });
  });

  it('a group report counts that group only', async () => {
    const { out } = await inCase(async (x) => {
      await ok(x.cmd(A, 'nm2', 'north', 'thanks', { member: 'nm1', amount: '4321', currency: 'EUR' }));
      return [
        await ok(x.cmd(A, 'dmod', 'downtown', 'report referrals', {})),
        await ok(x.cmd(A, 'nmod', 'north', 'report referrals', {})),
      ];
    });
    expect(JSON.stringify(out[0]!.outgoing)).toContain('Referral report');
    expect(JSON.stringify(out[0]!.outgoing)).not.toContain('4,321');
    expect(JSON.stringify(out[1]!.outgoing)).toContain('4,321');
  });
});

/** `pair status:met` → [`pair status`, `met`] (command names hold no colon). */
function splitAction(key: string): [string, string] {
  const at = key.lastIndexOf(':');
  return [key.slice(0, at), key.slice(at + 1)];
}
