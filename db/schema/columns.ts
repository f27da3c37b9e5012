import { customType, integer, timestamp } from 'drizzle-orm/pg-core';
import { communities } from './community.js';

/** Timestamps with time zone, read as Date. */
export const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
export const createdAt = () => at('created_at').notNull().defaultNow();
export const updatedAt = () => at('updated_at').notNull().defaultNow();
export const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** The community a row belongs to: every query is scoped by it, and deleting a community deletes its rows. */
export const communityRef = () =>
  integer('community_id')
    .notNull()
    .references(() => communities.id, { onDelete: 'cascade' });
