import { z } from 'zod';
import { defineCommand } from '../src/commands/define.js';
import { longText, memberOption } from '../src/commands/options.js';
import { parseProspectContact } from '../src/referrals/prospect-contact.js';
import { refer } from '../src/referrals/refer.js';

export const referCommand = defineCommand({
  name: 'refer',
  description: 'Pass a member a referral: a prospect who needs what they do',
  access: 'member',
  options: z.object({
    member: memberOption('Who receives the referral'),
    prospect: z.string().trim().min(2).max(120).describe('The prospect’s name'),
    contact: z
      .string()
      .trim()
      .max(200)
      .refine((v) => parseProspectContact(v) !== null, {
        message: 'must be an email address, a phone number, or both (e.g. "jane@example.com +1 555 0100")',
      })
      .describe('The prospect’s email, phone, or both (only the receiver sees it)'),
    need: longText('What the prospect needs', 500),
    temperature: z.number().int().min(1).max(5).describe('1 = just a name … 5 = met together, ready to buy'),
    kind: z
      .enum(['outside', 'inside'])
      .default('outside')
      .describe('inside: you are the customer; outside: someone else'),
    consent: z.boolean().describe('The prospect agreed to be contacted (yes/no)'),
  }),
  form: { title: 'Pass a referral', fields: ['prospect', 'contact', 'need', 'temperature', 'consent'] },
  examples: [
    '/refer member:@bob prospect:"Jane Doe" contact:jane@example.com need:"Roof leaks after storms" temperature:4 consent:yes',
  ],
  async run(ctx) {
    const o = ctx.options;
    return refer(ctx, {
      receiver: await ctx.resolveMember(o.member),
      prospect: o.prospect,
      contact: parseProspectContact(o.contact)!,
      need: o.need,
      temperature: o.temperature,
      kind: o.kind,
      consent: o.consent,
    });
  },
});
