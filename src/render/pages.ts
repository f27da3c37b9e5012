import type { ActionRef, Button, Rerun } from '../messages.js';

/**
 * Page buttons: `_page:<n>:<command>?<options>` re-runs a read-only command and shows page n of its reply, so any
 * replica can serve a page (nothing is kept between presses). `_page:all:…` is "Show all" under a channel post:
 * the same, answered privately. `_page` cannot be a command's name (registry names start with a letter).
 */
export const PAGE_COMMAND = '_page';
export const SHOW_ALL = 'all';

/** `help?command=referrals`: the rerun as a short string for a button id. */
export function encodeRerun(r: Rerun): string {
  const q = new URLSearchParams(r.options ?? {}).toString();
  return q ? `${r.command}?${q}` : r.command;
}

export function decodeRerun(key: string): Rerun | null {
  const at = key.indexOf('?');
  const command = at < 0 ? key : key.slice(0, at);
  if (!/^[a-z][a-z0-9-]*( [a-z][a-z0-9-]*)?$/.test(command)) return null;
  const options = Object.fromEntries(new URLSearchParams(at < 0 ? '' : key.slice(at + 1)));
  return { command, options };
}

/** The raw options of an invocation as the strings a page button carries (Discord gives numbers and booleans). */
export function rerunOf(command: string, options: Record<string, unknown>): Rerun {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(options)) if (v !== undefined && v !== null && v !== '') out[k] = String(v);
  return { command, options: out };
}

const pageAction = (page: number | typeof SHOW_ALL, r: Rerun): ActionRef => ({
  command: PAGE_COMMAND,
  action: String(page),
  arg: encodeRerun(r),
});

/** Previous / Next for page `page` of `pages`. */
export function pageButtons(page: number, pages: number, r: Rerun): Button[] {
  return [
    ...(page > 0 ? [{ label: 'Previous', action: pageAction(page - 1, r) }] : []),
    ...(page + 1 < pages ? [{ label: 'Next', action: pageAction(page + 1, r), style: 'primary' as const }] : []),
  ];
}

/** Under a channel post too long to show whole: the full content, privately, in pages. */
export const showAllButton = (r: Rerun): Button => ({ label: 'Show all', action: pageAction(SHOW_ALL, r) });

export const pageLine = (page: number, pages: number) => `Page ${page + 1} of ${pages}`;
