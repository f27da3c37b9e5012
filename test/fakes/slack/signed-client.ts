import { createHmac, randomBytes } from 'node:crypto';
import type { FakeSlack, FakeTeam, Loose } from './fake-slack.js';

export interface Delivery {
  status: number;
  /** The acknowledgement's body: JSON when Bolt acked with a payload, else the raw text (usually empty). */
  body: Loose;
  ms: number;
}

export interface SignOptions {
  /** Seconds since the epoch to sign with (default now): stale or future timestamps for the security tests. */
  timestamp?: number;
  /** Sign with this secret instead (a forged request). */
  secret?: string;
  retryNum?: number;
}

const FORM = 'application/x-www-form-urlencoded';

/**
 * Sends what Slack sends to the bot's HTTP receiver: slash commands, block actions and view submissions as
 * form-encoded bodies (Bolt compares the Content-Type exactly), events as JSON, each signed
 * `v0=HMAC-SHA256(v0:{timestamp}:{body})` with the signing secret.
 */
export class SlackClient {
  constructor(
    private readonly fake: FakeSlack,
    private readonly receiverUrl: string,
    private readonly signingSecret: string,
  ) {}

  triggerId(): string {
    return `${Date.now()}.${randomBytes(6).toString('hex')}`;
  }

  async post(body: string, contentType: string, opts: SignOptions = {}): Promise<Delivery> {
    const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
    const sig = `v0=${createHmac('sha256', opts.secret ?? this.signingSecret)
      .update(`v0:${ts}:${body}`)
      .digest('hex')}`;
    const started = performance.now();
    const res = await fetch(`${this.receiverUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'Content-Type': contentType,
        'X-Slack-Request-Timestamp': String(ts),
        'X-Slack-Signature': sig,
        ...(opts.retryNum
          ? { 'X-Slack-Retry-Num': String(opts.retryNum), 'X-Slack-Retry-Reason': 'http_timeout' }
          : {}),
      },
      body,
    });
    const text = await res.text();
    const ms = performance.now() - started;
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : '';
    } catch {
      // plain text acknowledgement
    }
    return { status: res.status, body: parsed, ms };
  }

  commandBody(a: {
    team: FakeTeam;
    user: string;
    userName: string;
    channel: string;
    command: string;
    text: string;
    triggerId?: string;
  }): { body: string; triggerId: string; responseUrl: string } {
    const triggerId = a.triggerId ?? this.triggerId();
    const responseUrl = this.fake.responseUrl({ teamId: a.team.id, channel: a.channel, userId: a.user });
    const body = new URLSearchParams({
      token: 'deprecated-verification-token',
      team_id: a.team.id,
      team_domain: a.team.domain,
      channel_id: a.channel,
      channel_name: a.channel.toLowerCase(),
      user_id: a.user,
      user_name: a.userName,
      command: a.command,
      text: a.text,
      api_app_id: 'A1',
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: triggerId,
    }).toString();
    return { body, triggerId, responseUrl };
  }

  async command(a: Parameters<SlackClient['commandBody']>[0], opts: SignOptions = {}): Promise<Delivery> {
    return this.post(this.commandBody(a).body, FORM, opts);
  }

  /** A button press or select choice on a message (or ephemeral message) that carried it. */
  async blockAction(
    a: {
      team: FakeTeam;
      user: string;
      userName: string;
      channel: string;
      messageTs: string;
      ephemeral?: boolean;
      actionId: string;
      value?: string;
      selected?: { text: string; value: string };
    },
    opts: SignOptions = {},
  ): Promise<Delivery> {
    const action = a.selected
      ? {
          type: 'static_select',
          action_id: a.actionId,
          block_id: 'rt-select',
          selected_option: { text: { type: 'plain_text', text: a.selected.text }, value: a.selected.value },
          action_ts: String(Date.now() / 1000),
        }
      : {
          type: 'button',
          action_id: a.actionId,
          block_id: 'rt-buttons:0',
          text: { type: 'plain_text', text: 'button' },
          ...(a.value ? { value: a.value } : {}),
          action_ts: String(Date.now() / 1000),
        };
    const payload = {
      type: 'block_actions',
      api_app_id: 'A1',
      token: 'deprecated-verification-token',
      trigger_id: this.triggerId(),
      team: { id: a.team.id, domain: a.team.domain },
      user: { id: a.user, username: a.userName, name: a.userName, team_id: a.team.id },
      channel: { id: a.channel, name: a.channel.toLowerCase() },
      container: {
        type: 'message',
        message_ts: a.messageTs,
        channel_id: a.channel,
        is_ephemeral: Boolean(a.ephemeral),
      },
      is_enterprise_install: false,
      response_url: this.fake.responseUrl({
        teamId: a.team.id,
        channel: a.channel,
        userId: a.user,
        messageTs: a.messageTs,
      }),
      actions: [action],
    };
    return this.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM, opts);
  }

  /** Submits a modal the bot opened (the view recorded from views.open) with the member's values. */
  async viewSubmission(
    a: { team: FakeTeam; user: string; userName: string; view: Record<string, Loose>; values: Record<string, string> },
    opts: SignOptions = {},
  ): Promise<Delivery> {
    const values: Record<string, Record<string, { type: string; value: string | null }>> = {};
    for (const block of a.view.blocks as { block_id: string }[]) {
      values[block.block_id] = { value: { type: 'plain_text_input', value: a.values[block.block_id] ?? null } };
    }
    const payload = {
      type: 'view_submission',
      api_app_id: 'A1',
      token: 'deprecated-verification-token',
      trigger_id: this.triggerId(),
      team: { id: a.team.id, domain: a.team.domain },
      user: { id: a.user, username: a.userName, name: a.userName, team_id: a.team.id },
      is_enterprise_install: false,
      view: {
        id: a.view.id ?? 'V1',
        team_id: a.team.id,
        type: 'modal',
        callback_id: a.view.callback_id,
        private_metadata: a.view.private_metadata,
        blocks: a.view.blocks,
        state: { values },
        hash: 'h',
      },
    };
    return this.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM, opts);
  }

  eventBody(team: FakeTeam, event: Record<string, unknown>, eventId = `Ev${randomBytes(5).toString('hex')}`): string {
    return JSON.stringify({
      token: 'deprecated-verification-token',
      team_id: team.id,
      api_app_id: 'A1',
      event: { event_ts: String(Date.now() / 1000), ...event },
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: team.id, user_id: team.botUserId, is_bot: true, is_enterprise_install: false }],
    });
  }

  async event(team: FakeTeam, event: Record<string, unknown>, opts: SignOptions & { eventId?: string } = {}) {
    return this.post(this.eventBody(team, event, opts.eventId), 'application/json', opts);
  }
}
