import { integer } from 'drizzle-orm/pg-core';
import { communities } from './community.js';

export { at, createdAt, tsvector, updatedAt } from './timestamps.js';

/** The community a row belongs to: every query is scoped by it, and deleting a community deletes its rows. */
export const communityRef = () =>
  integer('community_id')
    .notNull()
    .references(() => communities.id, { onDelete: 'cascade' });
