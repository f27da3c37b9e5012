import type { GroupRow } from '../communities/rows.js';
import { GROUP_TYPE_BLURBS, type GroupType, readSettings } from '../groups/group-settings.js';
import type { Content } from '../messages.js';

/** The short private welcome a newcomer gets: what the group is and how to introduce themselves. */
export function welcomeContent(group: GroupRow, name: string): Content {
  const settings = readSettings(group.settings);
  const blurb = GROUP_TYPE_BLURBS[group.type as GroupType] ?? group.type;
  const how = settings.requiresApproval
    ? 'Membership is by application: introduce yourself with /intro and a moderator will review it.'
    : 'Introduce yourself with /intro so members know what you do and whom to send your way.';
  return {
    text: `Welcome, ${name}! ${group.name} is ${blurb}.\n${how}\nType /group for the group’s rules and /help for everything else.`,
  };
}
