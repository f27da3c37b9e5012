import { z } from 'zod';
import { defineCommand } from '../src/commands/define.js';
import { longText } from '../src/commands/options.js';
import { categoryKey } from '../src/members/categories.js';
import { introduce } from '../src/members/introduce.js';
import { getProfile } from '../src/members/profile-repo.js';

const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

export const intro = defineCommand({
  name: 'intro',
  description: 'Introduce yourself (or edit your card): business, category, pitch, ideal referral',
  // Anyone: /intro is how a newcomer joins (or applies); the group is still required.
  access: 'anyone',
  options: z.object({
    business: z.string().trim().min(2).max(80).optional().describe('Business name'),
    category: z
      .string()
      .trim()
      .min(2)
      .max(60)
      .refine((s) => categoryKey(s) !== '', { message: 'must contain letters or digits, e.g. plumber' })
      .optional()
      .describe('Your profession: the seat you hold, e.g. plumber'),
    pitch: longText('What you do: your 60-second pitch (at most 150 words)', 1000)
      .refine((s) => words(s) <= 150, { message: 'is too long: at most 150 words' })
      .optional(),
    ideal_referral: longText('Your ideal referral / target market', 500).optional(),
    area: z.string().trim().max(100).optional().describe('Area you serve (optional)'),
    website: z
      .url({ protocol: /^https?$/, error: 'must be a web address such as https://example.com' })
      .max(200)
      .optional()
      .describe('Website, https://…'),
    email: z
      .email({ error: 'must be an email address such as ann@example.com' })
      .max(200)
      .optional()
      .describe('Email for referrals'),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 ().-]{5,22}$/, { message: 'must be a phone number such as +44 20 7946 0958' })
      .optional()
      .describe('Phone for referrals'),
    mentor: z.enum(['can', 'seeks', 'no']).optional().describe('Can you mentor, or are you looking for a mentor?'),
  }),
  form: {
    title: 'Your introduction',
    fields: ['business', 'category', 'pitch', 'ideal_referral', 'area'],
    async prefill(ctx) {
      const p = await getProfile(ctx.db, ctx.actor.id);
      return p
        ? {
            business: p.business,
            category: p.category,
            pitch: p.pitch,
            ideal_referral: p.idealReferral,
            area: p.area ?? undefined,
          }
        : {};
    },
  },
  examples: [
    '/intro business:"Acme Plumbing" category:plumber pitch:"We fix leaks the same day" ideal_referral:"Homeowners with old houses"',
    '/intro website:https://acme.example phone:"+44 20 7946 0958"',
  ],
  async run(ctx) {
    const o = ctx.options;
    return introduce(ctx, {
      business: o.business,
      category: o.category,
      pitch: o.pitch,
      idealReferral: o.ideal_referral,
      area: o.area,
      website: o.website,
      email: o.email,
      phone: o.phone,
      mentor: o.mentor === 'no' ? null : o.mentor,
    });
  },
});
