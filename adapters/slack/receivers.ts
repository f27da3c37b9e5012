import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPReceiver, type Installation, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../src/logger.js';
import type { PostgresInstallationStore } from './installation-store.js';
import { BOT_SCOPES } from './manifest.js';

/** Slack's own window for replays; Bolt enforces it for old timestamps only. */
const MAX_SKEW_S = 5 * 60;

/**
 * Bolt refuses signatures older than five minutes but accepts any future timestamp, and one that is not a number at
 * all ("Infinity" passes its arithmetic), so a request signed for tomorrow (a leaked, pre-signed body) would replay
 * all day. A timestamp must be whole seconds within five minutes either side of now; otherwise 401 before Bolt
 * reads the body. A request without the header is Bolt's to refuse (or its unsigned ssl_check).
 */
export function refusesBadTimestamps(
  inner: (req: IncomingMessage, res: ServerResponse) => void,
  log: Logger,
  now: () => number = () => Date.now(),
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const header = req.headers['x-slack-request-timestamp'];
    const raw = Array.isArray(header) ? header[0] : header;
    const ts = raw !== undefined && /^\d{1,12}$/.test(raw) ? Number(raw) : Number.NaN;
    const skew = ts - now() / 1000;
    if (req.method === 'POST' && raw !== undefined && !(Number.isSafeInteger(ts) && Math.abs(skew) <= MAX_SKEW_S)) {
      log.warn(
        { platform: 'slack', skewSeconds: Number.isFinite(skew) ? Math.round(skew) : null },
        'request with a bad timestamp refused',
      );
      req.resume();
      res.writeHead(401).end();
      return;
    }
    inner(req, res);
  };
}

export interface HttpReceiverOptions {
  signingSecret: string;
  log: Logger;
  slackLogger: SlackLogger;
  slackApiUrl?: string;
  /** Extra routes on the same server (the ops endpoints /healthz, /readyz, /metrics). */
  customRoutes?: { path: string; method: string; handler: (req: IncomingMessage, res: ServerResponse) => void }[];
  oauth?: {
    clientId: string;
    clientSecret: string;
    stateSecret: string;
    store: PostgresInstallationStore;
  };
}

/** Bolt's HTTP receiver (signature verification on), with the timestamp guard in front of it. */
export function httpReceiver(opts: HttpReceiverOptions): HTTPReceiver {
  const receiver = new HTTPReceiver({
    signingSecret: opts.signingSecret,
    logger: opts.slackLogger,
    ...(opts.customRoutes ? { customRoutes: opts.customRoutes } : {}),
    ...(opts.oauth
      ? {
          clientId: opts.oauth.clientId,
          clientSecret: opts.oauth.clientSecret,
          stateSecret: opts.oauth.stateSecret,
          scopes: BOT_SCOPES,
          installationStore: opts.oauth.store,
          installerOptions: {
            directInstall: true,
            ...(opts.slackApiUrl ? { clientOptions: { slackApiUrl: opts.slackApiUrl } } : {}),
            callbackOptions: {
              success: (installation: Installation, _options, _req, res) => {
                res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
                res.end(
                  `<html><body><h1>Roundtable is installed in ${escapeHtml(installation.team?.name ?? 'your workspace')}.</h1><p>Run /setup in your group’s channel.</p></body></html>`,
                );
              },
            },
          },
        }
      : {}),
  });
  receiver.requestListener = refusesBadTimestamps(receiver.requestListener, opts.log);
  return receiver;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
