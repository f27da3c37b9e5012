import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { installKey, PostgresInstallationStore } from '../../../adapters/slack/installation-store.js';
import { TokenCipher } from '../../../adapters/slack/token-crypto.js';
import { communities, slackInstallations } from '../../../db/schema.js';
import type { FakeTeam } from '../../fakes/slack/fake-slack.js';
import { describeEachDatabase } from '../../support/databases.js';
import { ENCRYPTION_KEY, freshTeamId, startSlackHarness } from './slack-harness.js';

type H = Awaited<ReturnType<typeof startSlackHarness>>;

describeEachDatabase('Slack OAuth installs across workspaces', (db) => {
  let h: H;
  let one: FakeTeam;
  let two: FakeTeam;
  beforeEach(async () => {
    h = await startSlackHarness(db(), { mode: 'oauth' });
    one = h.fake.addTeam({ id: freshTeamId(), name: 'Chamber One' });
    two = h.fake.addTeam({ id: freshTeamId(), name: 'Chamber Two' });
    // The same user id in both workspaces: isolation must come from the workspace, not from distinct ids.
    for (const t of [one, two]) h.fake.addUser({ id: 'U0SAME', name: `dana-${t.id}`, teamId: t.id });
  });
  afterEach(async () => h.close());

  /** The browser's part of the OAuth flow: the install page sets a state cookie, Slack redirects back with a code. */
  const install = async (team: FakeTeam) => {
    const base = `http://127.0.0.1:${h.bot.httpPort}`;
    const start = await fetch(`${base}/slack/install`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.searchParams.get('scope')).toContain('commands');
    const state = authorize.searchParams.get('state')!;
    const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
    const code = `code-${team.id}`;
    h.fake.installCodes.set(code, team);
    const done = await fetch(`${base}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, {
      headers: { cookie },
      redirect: 'manual',
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain(`installed in ${team.name}`);
  };

  const run = (team: FakeTeam, command: string, text: string) =>
    h.client.command({ team, user: 'U0SAME', userName: 'dana', channel: 'C0SHARED', command, text });

  it('installs two workspaces, stores their tokens encrypted, and keeps their data apart', async () => {
    await install(one);
    await install(two);
    const rows = await db().db.select().from(slackInstallations);
    const mine = rows.filter((r) => r.teamId === one.id || r.teamId === two.id);
    expect(mine).toHaveLength(2);
    for (const r of mine) {
      expect(r.ciphertext).not.toContain('xoxb-');
      expect(r.ciphertext).not.toContain(r.teamId!);
    }
    // the communities exist from the install on, named by the workspace
    const [c1] = await db().db.select().from(communities).where(eq(communities.platformRef, one.id));
    expect(c1!.name).toBe('Chamber One');

    await run(one, '/setup', 'name:"Secret Chamber One Group"');
    await h.bot.settled();
    await run(two, '/help', 'setup');
    // its answer is sent after the ack: settled first, so that the /setup answer is the last one in this workspace
    await h.bot.settled();
    await run(two, '/setup', 'description:"second"');
    await h.bot.settled();
    const replies = h.fake.calls.filter((c) => c.kind === 'respond');
    const inTwo = replies.filter((c) => c.teamId === two.id);
    expect(inTwo.length).toBe(2);
    for (const r of inTwo) expect(JSON.stringify(r.args)).not.toContain('Secret Chamber One');
    // each workspace's Web API calls carry its own token
    expect(h.fake.api('users.info', one.id).length).toBe(1);
    expect(h.fake.api('users.info', two.id).length).toBe(1);
    // same channel id, same user id, different workspace: a separate group, named after its own workspace
    expect(JSON.stringify(inTwo.at(-1)!.args.blocks)).toContain('Chamber Two');
  });

  it('uninstalling deletes the installation and marks the community left; its requests stop being served', async () => {
    await install(one);
    await run(one, '/setup', 'name:"Leaving"');
    await h.bot.settled();
    const res = await h.client.event(one, { type: 'app_uninstalled' });
    expect(res.status).toBe(200);
    await h.bot.settled();
    expect(await db().db.select().from(slackInstallations).where(eq(slackInstallations.teamId, one.id))).toHaveLength(
      0,
    );
    const [c] = await db().db.select().from(communities).where(eq(communities.platformRef, one.id));
    expect(c!.active).toBe(false);
    const before = h.fake.calls.length;
    await run(one, '/help', '');
    await h.bot.settled();
    expect(h.fake.calls.slice(before).filter((c) => c.kind === 'respond')).toHaveLength(0);
  });

  it('tokens_revoked for the bot token counts as an uninstall; revoking only user tokens does not', async () => {
    await install(two);
    await h.client.event(two, { type: 'tokens_revoked', tokens: { oauth: ['U0SAME'] } });
    await h.bot.settled();
    expect(await db().db.select().from(slackInstallations).where(eq(slackInstallations.teamId, two.id))).toHaveLength(
      1,
    );
    await h.client.event(two, { type: 'tokens_revoked', tokens: { bot: [two.botUserId] } });
    await h.bot.settled();
    expect(await db().db.select().from(slackInstallations).where(eq(slackInstallations.teamId, two.id))).toHaveLength(
      0,
    );
  });

  it('a ciphertext moved onto another workspace’s row does not decrypt', async () => {
    const store = new PostgresInstallationStore(db().db, new TokenCipher(ENCRYPTION_KEY));
    const cipher = new TokenCipher(ENCRYPTION_KEY);
    const sealed = cipher.encrypt('xoxb-secret', installKey({ teamId: one.id }));
    expect(cipher.decrypt(sealed, installKey({ teamId: one.id }))).toBe('xoxb-secret');
    expect(() => cipher.decrypt(sealed, installKey({ teamId: two.id }))).toThrow();
    await expect(
      store.fetchInstallation({ teamId: 'TNOPE', isEnterpriseInstall: false, enterpriseId: undefined }),
    ).rejects.toThrow();
  });
});
