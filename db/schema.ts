/**
 * The database schema, one file per capability under db/schema/. drizzle-kit reads this index to generate the
 * migrations in db/migrations; everything imports tables from here.
 */

export * from './schema/booking.js';
export * from './schema/community.js';
export * from './schema/meetings.js';
export * from './schema/members.js';
export * from './schema/nudges.js';
export * from './schema/pairing.js';
export * from './schema/powerteam.js';
export * from './schema/referrals.js';
