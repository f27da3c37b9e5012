import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Health } from './health.js';
import type { OpsMetrics } from './metrics.js';

/** A route in the shape Bolt's HTTPReceiver takes as `customRoutes`, and that the standalone server serves. */
export interface OpsRoute {
  path: string;
  method: string;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface OpsState {
  health: Health;
  metrics: OpsMetrics;
  /** True once shutdown began: /readyz turns 503 so a load balancer stops sending work here first. */
  draining: () => boolean;
}

/**
 * `/healthz` (the process answers), `/readyz` (database, migrations, platforms; 503 with the failing checks),
 * `/metrics` (Prometheus text). None of them reveals a token, a member or a community.
 */
export function opsRoutes(state: OpsState): OpsRoute[] {
  const json = (res: ServerResponse, status: number, body: unknown) =>
    res
      .writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
      .end(JSON.stringify(body));
  return [
    { path: '/healthz', method: 'GET', handler: (_req, res) => json(res, 200, { status: 'ok' }) },
    {
      path: '/readyz',
      method: 'GET',
      handler: (_req, res) => {
        if (state.draining()) {
          json(res, 503, { ready: false, checks: { shutdown: { ok: false, detail: 'draining' } } });
          return;
        }
        state.health.readiness().then(
          (r) => json(res, r.ready ? 200 : 503, r),
          () => json(res, 503, { ready: false }),
        );
      },
    },
    {
      path: '/metrics',
      method: 'GET',
      handler: (_req, res) => {
        state.metrics.text().then(
          (text) => res.writeHead(200, { 'Content-Type': state.metrics.contentType }).end(text),
          () => res.writeHead(500).end(),
        );
      },
    },
  ];
}

/** A route path matches exactly, or with `:name` segments matching any one segment (as Bolt's custom routes do). */
function matches(pattern: string, path: string): boolean {
  if (!pattern.includes(':')) return pattern === path;
  const a = pattern.split('/');
  const b = path.split('/');
  return a.length === b.length && a.every((seg, i) => (seg.startsWith(':') ? b[i]!.length > 0 : seg === b[i]));
}

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/** The ops routes on their own HTTP server, for processes without Slack's receiver (Discord only, Socket Mode). */
export async function startOpsServer(port: number, routes: OpsRoute[], host = '0.0.0.0'): Promise<OpsServer> {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = routes.find((r) => matches(r.path, path) && r.method === req.method);
    if (route) route.handler(req, res);
    else res.writeHead(404).end();
  });
  // Scrapes and probes are short: no keep-alive connection may hold up close() at shutdown.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
