import { z } from 'zod';
import { defineCommand } from '../src/commands/define.js';
import { readSettings, referralSettingsSchema } from '../src/groups/group-settings.js';
import { updateSettings } from '../src/groups/settings-repo.js';
import { currencySchema } from '../src/referrals/money.js';

export const referralSettings = defineCommand({
  name: 'referral settings',
  description: 'Referral rules of the group: reminders, privacy, currency (no options shows them)',
  access: 'moderator',
  options: z.object({
    accept_hours: z
      .number()
      .int()
      .min(1)
      .max(720)
      .optional()
      .describe('Remind when not accepted within this many hours'),
    update_days: z.number().int().min(1).max(90).optional().describe('Remind when not updated for this many days'),
    open_days: z.number().int().min(1).max(365).optional().describe('Remind when still open after this many days'),
    escalation_hours: z
      .number()
      .int()
      .min(1)
      .max(720)
      .optional()
      .describe('Hours between reminder, giver notice, moderators'),
    public_notices: z.boolean().optional().describe('Post “X passed Y a referral” notices in the group channel'),
    moderators_see_contacts: z.boolean().optional().describe('Moderators may see prospects’ contact details'),
    currency: currencySchema.optional().describe('Default currency, e.g. EUR'),
    ask_days: z.number().int().min(1).max(365).optional().describe('Asks expire after this many days'),
  }),
  async run(ctx) {
    const group = ctx.requireGroup();
    const o = ctx.options;
    const settings = readSettings(group.settings);
    const next = referralSettingsSchema.parse({
      ...settings.referrals,
      ...(o.accept_hours !== undefined ? { acceptHours: o.accept_hours } : {}),
      ...(o.update_days !== undefined ? { updateDays: o.update_days } : {}),
      ...(o.open_days !== undefined ? { openDays: o.open_days } : {}),
      ...(o.escalation_hours !== undefined ? { escalationHours: o.escalation_hours } : {}),
      ...(o.public_notices !== undefined ? { publicNotices: o.public_notices } : {}),
      ...(o.moderators_see_contacts !== undefined ? { moderatorsSeeContacts: o.moderators_see_contacts } : {}),
      ...(o.currency !== undefined ? { currency: o.currency } : {}),
      ...(o.ask_days !== undefined ? { askExpiryDays: o.ask_days } : {}),
    });
    await updateSettings(ctx.db, group, 'referrals', next);
    const yes = (b: boolean) => (b ? 'yes' : 'no');
    return {
      text: `Referral rules of ${group.name}:`,
      card: {
        title: 'Referral rules',
        fields: [
          { label: 'Reminder if not accepted', value: `${next.acceptHours} h`, inline: true },
          { label: 'Reminder if no update', value: `${next.updateDays} days`, inline: true },
          { label: 'Reminder if still open', value: `${next.openDays} days`, inline: true },
          { label: 'Then giver, then moderators, every', value: `${next.escalationHours} h`, inline: true },
          { label: 'Public notices', value: yes(next.publicNotices), inline: true },
          { label: 'Moderators see contacts', value: yes(next.moderatorsSeeContacts), inline: true },
          { label: 'Currency', value: next.currency, inline: true },
          { label: 'Asks expire after', value: `${next.askExpiryDays} days`, inline: true },
        ],
      },
      visibility: 'private',
    };
  },
});
