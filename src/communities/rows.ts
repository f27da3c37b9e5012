import type { communities, groupMemberships, groups, members } from '../../db/schema.js';

export type CommunityRow = typeof communities.$inferSelect;
export type GroupRow = typeof groups.$inferSelect;
export type MemberRow = typeof members.$inferSelect;
export type MembershipRow = typeof groupMemberships.$inferSelect;
