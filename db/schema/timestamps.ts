import { customType, timestamp } from 'drizzle-orm/pg-core';

// Column helpers that need no table: kept apart from columns.ts, which imports the communities table, so that
// community.ts can use them without an import cycle (whichever schema file is loaded first).

/** Timestamps with time zone, read as Date. */
export const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
export const createdAt = () => at('created_at').notNull().defaultNow();
export const updatedAt = () => at('updated_at').notNull().defaultNow();
export const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
