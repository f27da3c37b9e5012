import type { RegisteredCommand } from '../src/commands/registry.js';

/** /help's areas, in the order shown; a command belongs to the first area naming it (full name, then top level). */
export const HELP_AREAS: { key: string; title: string; commands: string[] }[] = [
  { key: 'group', title: 'your group', commands: ['setup', 'group', 'moderator', 'moderators'] },
  {
    key: 'members',
    title: 'introductions and the directory',
    commands: ['intro', 'profile', 'find', 'directory', 'connect'],
  },
  {
    key: 'seats',
    title: 'seats and joining',
    commands: ['seats', 'seat-alias', 'seat-wanted', 'approve', 'decline', 'applications'],
  },
  {
    key: 'referrals',
    title: 'referrals and giving',
    commands: ['refer', 'referral', 'referrals', 'thanks', 'ask', 'asks', 'balance', 'givers', 'report referrals'],
  },
  { key: 'pairing', title: '1-to-1 pairing', commands: ['pair'] },
  { key: 'nudges', title: 'commitments and nudges', commands: ['commit', 'commitments', 'nudge', 'nudges', 'me'] },
  {
    key: 'meetings',
    title: 'meetings, attendance and reports',
    commands: ['meeting', 'attendance', 'visitor', 'scorecard', 'report chart', 'export'],
  },
  { key: 'leaving', title: 'leaving and your data', commands: ['leave', 'remove', 'forget-me'] },
];

/** Commands no area names yet (one added without a place in /help) still show, under "more". */
export const OTHER_AREA = { key: 'more', title: 'more', commands: [] as string[] };

export function areaOf(name: string): string {
  const top = name.split(' ')[0]!;
  const byName = HELP_AREAS.find((a) => a.commands.includes(name));
  const byTop = HELP_AREAS.find((a) => a.commands.includes(top));
  return (byName ?? byTop)?.key ?? (name === 'help' ? '' : OTHER_AREA.key);
}

/** The visible commands grouped by area, areas in order, empty ones left out. */
export function byArea(
  visible: readonly RegisteredCommand[],
): { key: string; title: string; commands: RegisteredCommand[] }[] {
  return [...HELP_AREAS, OTHER_AREA]
    .map((a) => ({ key: a.key, title: a.title, commands: visible.filter((c) => areaOf(c.def.name) === a.key) }))
    .filter((a) => a.commands.length > 0);
}
