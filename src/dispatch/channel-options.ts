import type { RegisteredCommand } from '../commands/registry.js';
import { UserError } from '../errors.js';
import type { Invocation } from './invocation.js';

/**
 * A channel option must name a channel of this server or workspace that the bot can post in: intro cards carry
 * members' emails, and another community's channel (or one the bot cannot write to) must never receive them. The
 * shell's channels are only names, so it has nothing to check.
 */
export function checkChannelOptions(cmd: RegisteredCommand, options: Record<string, unknown>, inv: Invocation): void {
  if (inv.platform === 'shell') return;
  const place = inv.platform === 'slack' ? 'workspace' : 'server';
  for (const o of cmd.options) {
    const v = options[o.name];
    if (o.kind !== 'channel' || v === undefined || v === null || v === '') continue;
    const seen = inv.channels?.[String(v)];
    if (!seen?.found) {
      throw new UserError(
        'bad_option',
        `\`${o.name}\` must be a channel of this ${place}: I can’t find that one here.`,
        `Pick a channel of this ${place}, e.g. ${o.name}:#general.`,
      );
    }
    if (!seen.canPost) {
      throw new UserError(
        'bad_option',
        `\`${o.name}\`: I can’t post in that channel.`,
        inv.platform === 'slack'
          ? 'Invite me to it (/invite @Roundtable in the channel), or pick another.'
          : 'Give me View Channel and Send Messages there, or pick another.',
      );
    }
  }
}
