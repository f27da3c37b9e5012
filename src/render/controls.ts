import { type Button, encodeAction } from '../messages.js';

/**
 * Buttons with distinct actions: Discord refuses two components with one custom_id in a message, Slack two
 * elements with one action_id in a block. Two buttons doing the same thing are one button (the first label wins).
 */
export function uniqueButtons(buttons: readonly Button[]): Button[] {
  const seen = new Set<string>();
  return buttons.filter((b) => {
    const id = encodeAction(b.action);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
