import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  GatewayDispatchEvents,
  type GatewayDispatchPayload,
  GatewayOpcodes,
  type GatewayReadyDispatchData,
  type GatewayReceivePayload,
  type GatewaySendPayload,
} from 'discord-api-types/v10';
import { type WebSocket, WebSocketServer } from 'ws';

/** What the fake gateway saw from the bot: identifies, resumes, heartbeats. */
export interface GatewayLog {
  identifies: number;
  resumes: number;
  heartbeats: number;
}

interface Session {
  ws: WebSocket;
  ready: boolean;
}

/**
 * The gateway half of the fake: HELLO, IDENTIFY → READY (with resume_gateway_url) and one GUILD_CREATE per
 * server, heartbeat ACKs, RESUME → RESUMED, and dispatches (INTERACTION_CREATE, GUILD_MEMBER_ADD, …) on demand.
 */
export class FakeGateway {
  readonly log: GatewayLog = { identifies: 0, resumes: 0, heartbeats: 0 };
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Set<Session>();
  private seq = 0;
  private readonly sessionId = 'fake-session';

  constructor(
    private readonly opts: {
      url: () => string;
      ready: () => GatewayReadyDispatchData;
      guildCreates: () => GatewayDispatchPayload['d'][];
      heartbeatMs: number;
      /** Told after each change of `log` or `connected`. */
      changed: () => void;
    },
  ) {
    this.wss.on('connection', (ws) => this.accept(ws));
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  private send(ws: WebSocket, payload: GatewayReceivePayload): void {
    ws.send(JSON.stringify(payload));
  }

  private accept(ws: WebSocket): void {
    const session: Session = { ws, ready: false };
    this.sessions.add(session);
    ws.on('close', () => {
      this.sessions.delete(session);
      this.opts.changed();
    });
    this.send(ws, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.opts.heartbeatMs }, s: null, t: null });
    ws.on('message', (raw) => {
      const msg = JSON.parse(String(raw)) as GatewaySendPayload;
      switch (msg.op) {
        case GatewayOpcodes.Heartbeat:
          this.log.heartbeats++;
          this.send(ws, {
            op: GatewayOpcodes.HeartbeatAck,
            d: undefined as never,
            s: null,
            t: null,
          } as GatewayReceivePayload);
          this.opts.changed();
          return;
        case GatewayOpcodes.Identify:
          this.log.identifies++;
          session.ready = true;
          this.dispatchTo(session, { t: GatewayDispatchEvents.Ready, d: this.opts.ready() });
          for (const d of this.opts.guildCreates())
            this.dispatchTo(session, { t: GatewayDispatchEvents.GuildCreate, d });
          this.opts.changed();
          return;
        case GatewayOpcodes.Resume:
          this.log.resumes++;
          session.ready = true;
          this.dispatchTo(session, { t: GatewayDispatchEvents.Resumed, d: {} });
          this.opts.changed();
          return;
        default:
          return;
      }
    });
  }

  private dispatchTo(session: Session, p: { t: string; d: unknown }): void {
    this.seq++;
    session.ws.send(JSON.stringify({ op: GatewayOpcodes.Dispatch, t: p.t, d: p.d, s: this.seq }));
  }

  /** Sends one dispatch event to every ready session; false when no bot is connected. */
  dispatch(t: string, d: unknown): boolean {
    let sent = false;
    for (const s of this.sessions) {
      if (!s.ready) continue;
      this.dispatchTo(s, { t, d });
      sent = true;
    }
    return sent;
  }

  get connected(): number {
    return [...this.sessions].filter((s) => s.ready).length;
  }

  /** Drops every connection without a close frame, as a network failure would: the bot should RESUME. */
  dropConnections(): void {
    for (const s of this.sessions) s.ws.terminate();
  }

  sessionInfo() {
    return { sessionId: this.sessionId, resumeUrl: this.opts.url() };
  }

  close(): void {
    for (const s of this.sessions) s.ws.terminate();
    this.wss.close();
  }
}
