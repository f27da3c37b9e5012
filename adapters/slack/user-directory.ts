import type { WebClient } from './workspace-clients.js';

export interface SlackUser {
  displayName: string;
  /** Workspace admin or owner: the dispatcher treats them as moderators. */
  isAdmin: boolean;
  isBot: boolean;
}

/**
 * users.info, cached per workspace and user: the actor's display name and admin flag are needed on every
 * command, and users.info is Tier 4 (100+/min) — a busy workspace would otherwise spend it on the same people.
 */
export class UserDirectory {
  private readonly cache = new Map<string, { at: number; user: SlackUser }>();

  constructor(private readonly ttlMs = 10 * 60_000) {}

  async lookup(client: WebClient, teamId: string, userId: string): Promise<SlackUser | null> {
    const key = `${teamId}:${userId}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.user;
    try {
      const res = await client.users.info({ user: userId });
      const u = res.user;
      if (!u) return null;
      const user: SlackUser = {
        displayName: u.profile?.display_name || u.real_name || u.name || userId,
        isAdmin: Boolean(u.is_admin || u.is_owner),
        isBot: Boolean(u.is_bot),
      };
      if (this.cache.size > 20_000) this.cache.clear();
      this.cache.set(key, { at: Date.now(), user });
      return user;
    } catch {
      // Unknown to Slack right now (deleted, API hiccup): the caller falls back to the name in the payload.
      return null;
    }
  }

  remember(teamId: string, userId: string, user: SlackUser): void {
    this.cache.set(`${teamId}:${userId}`, { at: Date.now(), user });
  }
}
