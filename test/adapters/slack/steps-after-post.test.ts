import { afterEach, expect, it } from 'vitest';
import type { Attachment } from '../../../src/messages.js';
import { describeEachDatabase } from '../../support/databases.js';
import { capturingLogger } from '../../support/outbox-on-platforms.js';
import { type SlackHarness, startSlackHarness } from './slack-harness.js';

/** The Retry-After the fake answers (s) and the longest wait the port takes inline (ms): 1 s surfaces. */
const RETRY_AFTER_S = 1;
const INLINE_MS = 200;

/** What only the file holds: it must never reach a log line. */
const FILE_CONTENT = 'member,referral\nann,quiet-secret-lead';
const csv: Attachment = {
  filename: 'referrals.csv',
  contentType: 'text/csv',
  data: new TextEncoder().encode(FILE_CONTENT),
};

/**
 * A message with attachments is two visible steps on Slack: chat.postMessage, then files.uploadV2 (on the wire
 * files.getUploadURLExternal, the upload, files.completeUploadExternal). Once the text is posted, nothing that goes
 * wrong with the files may make the caller send the whole message again.
 */
describeEachDatabase('slack: the upload after a posted message', (db) => {
  let h: (SlackHarness & { team: { id: string } }) | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function start() {
    const { log, lines } = capturingLogger();
    h = await startSlackHarness(db(), { tuning: { inlineRetryAfterMs: INLINE_MS }, log });
    return { lines, send: () => h!.bot.port.send(h!.team.id, { kind: 'channel', channelRef: 'C1' }, report) };
  }
  const report = { text: 'This month’s referrals', attachments: [csv] };
  const uploads = () => h!.fake.calls.filter((c) => c.kind === 'upload');

  it('a long 429 on the upload is waited out: the text is posted once, the file uploaded once after Retry-After', async () => {
    const { send } = await start();
    h!.fake.rateLimit('files.getUploadURLExternal', { retryAfter: RETRY_AFTER_S });

    const ref = await send();

    const posts = h!.fake.api('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(ref).toEqual({ channelRef: 'C1', messageRef: posts[0]!.result!.ts });
    const asked = h!.fake.api('files.getUploadURLExternal');
    expect(asked).toHaveLength(2); // the 429, then the one that went through
    expect(asked[1]!.at - asked[0]!.at).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000);
    expect(uploads()).toHaveLength(1);
    const completed = h!.fake.api('files.completeUploadExternal');
    expect(completed).toHaveLength(1);
    expect(completed[0]!.args.channel_id).toBe('C1');
    expect(completed[0]!.seq).toBeGreaterThan(posts[0]!.seq);
  });

  it('an upload that fails after the post is logged without content and the posted message is returned', async () => {
    const { send, lines } = await start();
    h!.fake.fail('files.completeUploadExternal', 'not_in_channel');

    const ref = await send();

    const posts = h!.fake.api('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(ref).toEqual({ channelRef: 'C1', messageRef: posts[0]!.result!.ts });
    expect(h!.fake.api('files.completeUploadExternal')).toHaveLength(1);
    const errors = lines.filter((l) => l.level >= 50);
    expect(errors.map((l) => l.msg)).toEqual(['attachment upload failed after the message was posted']);
    expect(errors[0]).toMatchObject({ community: h!.team.id, channel: 'C1' });
    expect(JSON.stringify(errors[0])).toContain('not_in_channel');
    const logged = JSON.stringify(lines);
    expect(logged).not.toContain('quiet-secret-lead');
    expect(logged).not.toContain(report.text);
  });
});
