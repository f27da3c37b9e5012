import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack, type FakeTeam } from '../fakes/slack/fake-slack.js';
import { ThrowawayPostgres } from '../support/throwaway-postgres.js';
import { askTexts } from './ops-support.js';
import { type Replica, sharedPostgres, startReplica } from './replica-support.js';

const FORM = 'application/x-www-form-urlencoded';
const skipReason = process.env.DATABASE_URL ? null : ThrowawayPostgres.unavailable();
if (skipReason) console.warn(`two-replicas: skipped: ${skipReason}`);

/**
 * Two bot processes' worth of state (separate pools, cores, Bolt receivers) on one PostgreSQL and one Slack. A load
 * balancer may hand Slack's retry of a command to the other replica while the first is still working on it: both
 * replicas then get the same trigger id, and the member must still be answered once and the ask stored once.
 */
describe.skipIf(skipReason !== null)('two replicas side by side', () => {
  let pg: { url: string; close(): Promise<void> };
  let fake: FakeSlack;
  let team: FakeTeam;
  let a: Replica;
  let b: Replica;

  beforeAll(async () => {
    pg = await sharedPostgres();
    fake = await FakeSlack.start();
    team = fake.addTeam({ id: 'TREPLICA1' });
    for (const u of ['UMOD', 'UA', 'UB', 'UC']) fake.addUser({ id: u, name: u.toLowerCase(), teamId: team.id });
    a = await startReplica(pg.url, fake, team);
    b = await startReplica(pg.url, fake, team);
  }, 60_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await fake?.close();
    await pg?.close();
  });

  const command = (user: string, name: string, text: string) =>
    a.client.commandBody({ team, user, userName: user.toLowerCase(), channel: 'CGROUP', command: `/${name}`, text });

  it('answers every command once and stores it once, whichever replica gets it and however often', async () => {
    const setup = command('UMOD', 'setup', 'name:"Replica Club"');
    await a.client.post(setup.body, FORM);
    await a.slack.settled();
    for (const [i, u] of ['UA', 'UB', 'UC'].entries()) {
      const intro = command(
        u,
        'intro',
        `business:"${u} Ltd" category:"trade ${i}" pitch:"Good work" ideal_referral:"Anyone"`,
      );
      await (i % 2 ? b : a).client.post(intro.body, FORM);
    }
    await Promise.all([a.slack.settled(), b.slack.settled()]);
    const respondsBefore = fake.calls.filter((c) => c.kind === 'respond').length;

    const sent: { text: string; responseUrl: string }[] = [];
    const deliveries: Promise<unknown>[] = [];
    for (let i = 0; i < 30; i++) {
      const user = ['UA', 'UB', 'UC'][i % 3]!;
      const text = `replica ask ${i}`;
      const c = command(user, 'ask', `"${text}"`);
      sent.push({ text, responseUrl: c.responseUrl });
      // Every third goes to both at once (a retry on the other replica); the rest alternate.
      if (i % 3 === 0) deliveries.push(a.client.post(c.body, FORM), b.client.post(c.body, FORM, { retryNum: 1 }));
      else deliveries.push((i % 2 ? b : a).client.post(c.body, FORM));
    }
    await Promise.all(deliveries);
    await Promise.all([a.slack.settled(), b.slack.settled()]);

    const responds = fake.calls.filter((c) => c.kind === 'respond').slice(respondsBefore);
    expect(responds).toHaveLength(30);
    const answeredUrls = new Set(responds.map((r) => `${fake.url}/respond/${r.method}`));
    expect(answeredUrls.size).toBe(30);
    for (const s of sent) expect(answeredUrls.has(s.responseUrl)).toBe(true);
    for (const r of responds) expect(r.args.text).not.toMatch(/went wrong|not reachable/);

    const stored = await askTexts(a.database.db, team.id);
    expect(stored.sort()).toEqual(sent.map((s) => s.text).sort());
  }, 30_000);
});
