import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import type { MessagePort } from '../platform.js';

/**
 * The one rule for which process runs and delivers which community's timed work: a process claims only what it can
 * deliver. A port serving a whole platform (a Discord or Slack connection) claims every active community of that
 * platform; a port serving named communities (the shell, a test driver) claims those only. So a Discord-only and a
 * Slack-only process sharing one database never take each other's jobs, and two shells on one database never act
 * for each other's community.
 */
export interface ClaimScope {
  /** Platforms served whole. */
  platforms: string[];
  /** Communities served one by one: platform and platform refs. */
  named: { platform: string; refs: string[] }[];
}

export function claimScopeOf(ports: readonly MessagePort[]): ClaimScope {
  const scope: ClaimScope = { platforms: [], named: [] };
  for (const p of ports) {
    if (p.communityRefs) scope.named.push({ platform: p.platform, refs: [...p.communityRefs] });
    else if (!scope.platforms.includes(p.platform)) scope.platforms.push(p.platform);
  }
  return scope;
}

/** `column` (a community id) is one this scope may claim. Nothing at all for a scope with no ports. */
export function withinScope(column: AnyColumn | SQL, scope: ClaimScope): SQL {
  const parts: SQL[] = [];
  if (scope.platforms.length) parts.push(sql`c.platform = any(${sql.param(scope.platforms)}::text[])`);
  for (const n of scope.named) {
    parts.push(sql`(c.platform = ${n.platform} and c.platform_ref = any(${sql.param(n.refs)}::text[]))`);
  }
  if (parts.length === 0) return sql`false`;
  return sql`${column} in (select c.id from communities c where c.active and (${sql.join(parts, sql` or `)}))`;
}
