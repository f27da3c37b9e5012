import type { ObjectScope } from '../commands/define.js';
import { positiveInt } from '../commands/object-key.js';
import { UserError } from '../errors.js';
import { referralGroup } from './referral-repo.js';

/**
 * The one answer for a referral the actor may not see: it does not exist, it is another group's or community's,
 * or the actor is neither its giver, its receiver nor a moderator of its group. They cannot be told apart.
 */
export const referralMissing = (n: number) =>
  new UserError(
    'not_found',
    `There is no referral #${n} of yours.`,
    'You can see the referrals you gave or received: /referrals.',
  );

/** A referral number names its group: rights and settings come from there, whatever the channel. */
export const referralScope: ObjectScope = {
  key: positiveInt,
  groupOf: referralGroup,
  missing: referralMissing,
};
