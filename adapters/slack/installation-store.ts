import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { slackInstallations } from '../../db/schema.js';
import type { TokenCipher } from './token-crypto.js';

/** An enterprise-wide install is one row for the org; otherwise one row per workspace. */
export function installKey(q: { isEnterpriseInstall?: boolean; enterpriseId?: string; teamId?: string }): string {
  if (q.isEnterpriseInstall && q.enterpriseId) return `E:${q.enterpriseId}`;
  if (q.teamId) return `T:${q.teamId}`;
  throw new Error('installation has neither a team nor an enterprise id');
}

export interface InstallationHooks {
  /** A workspace installed (or re-installed) the app. */
  installed?(installation: Installation): Promise<void>;
}

/**
 * Bolt's installation store in Postgres: the whole installation (tokens included) is encrypted as one JSON
 * document; team and enterprise ids stay in clear columns for lookups and operations. Fetches are cached briefly
 * because Bolt authorizes every incoming request with one; store and delete drop the cached entry.
 */
export class PostgresInstallationStore implements InstallationStore {
  private readonly cache = new Map<string, { at: number; installation: Installation }>();

  constructor(
    private readonly db: Db,
    private readonly cipher: TokenCipher,
    private readonly hooks: InstallationHooks = {},
    private readonly cacheMs = 30_000,
  ) {}

  async storeInstallation(installation: Installation): Promise<void> {
    const key = installKey({
      isEnterpriseInstall: installation.isEnterpriseInstall,
      enterpriseId: installation.enterprise?.id,
      teamId: installation.team?.id,
    });
    const ciphertext = this.cipher.encrypt(JSON.stringify(installation), key);
    const row = {
      teamId: installation.team?.id ?? null,
      enterpriseId: installation.enterprise?.id ?? null,
      ciphertext,
    };
    await this.db
      .insert(slackInstallations)
      .values({ installKey: key, ...row })
      .onConflictDoUpdate({ target: slackInstallations.installKey, set: { ...row, updatedAt: new Date() } });
    this.cache.delete(key);
    await this.hooks.installed?.(installation);
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const key = installKey(query);
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < this.cacheMs) return hit.installation;
    const [row] = await this.db
      .select({ ciphertext: slackInstallations.ciphertext })
      .from(slackInstallations)
      .where(eq(slackInstallations.installKey, key));
    if (!row) throw new Error(`no Slack installation for ${key}`);
    const installation = JSON.parse(this.cipher.decrypt(row.ciphertext, key)) as Installation;
    this.cache.set(key, { at: Date.now(), installation });
    return installation;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const key = installKey(query);
    this.cache.delete(key);
    await this.db.delete(slackInstallations).where(eq(slackInstallations.installKey, key));
  }

  /** The bot token of a workspace, or null when it is not (or no longer) installed. */
  async botToken(teamId: string, enterpriseId?: string): Promise<string | null> {
    for (const q of [
      { teamId, isEnterpriseInstall: false },
      ...(enterpriseId ? [{ enterpriseId, isEnterpriseInstall: true }] : []),
    ]) {
      try {
        const inst = await this.fetchInstallation(q as InstallationQuery<boolean>);
        if (inst.bot?.token) return inst.bot.token;
      } catch {
        // not installed under this key: try the next
      }
    }
    return null;
  }
}
