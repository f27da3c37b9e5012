import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { groups } from '../../db/schema.js';
import type { GroupRow } from '../communities/rows.js';
import { type GroupSettings, groupSettingsSchema, readSettings } from './group-settings.js';

/** Replaces one section of a group's settings document, validated as a whole; returns the new settings. */
export async function updateSettings<K extends keyof GroupSettings>(
  db: Db,
  group: GroupRow,
  key: K,
  section: GroupSettings[K],
): Promise<GroupSettings> {
  const next = groupSettingsSchema.parse({ ...readSettings(group.settings), [key]: section });
  await db.update(groups).set({ settings: next }).where(eq(groups.id, group.id));
  return next;
}
