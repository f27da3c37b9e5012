/**
 * The referral lifecycle. Status moves only forward along these edges; won, lost, not a fit and withdrawn end it.
 * Only the receiver moves it; the giver may withdraw while it is new; a moderator may correct anything.
 */
export const STATUSES = ['new', 'accepted', 'contacted', 'meeting', 'won', 'lost', 'not_a_fit', 'withdrawn'] as const;
export type Status = (typeof STATUSES)[number];

/** Statuses a receiver may set with /referral update. */
export const RECEIVER_STATUSES = ['accepted', 'contacted', 'meeting', 'won', 'lost', 'not_a_fit'] as const;
export type ReceiverStatus = (typeof RECEIVER_STATUSES)[number];

export const OPEN_STATUSES: readonly Status[] = ['new', 'accepted', 'contacted', 'meeting'];

const NEXT: Record<Status, readonly Status[]> = {
  new: ['accepted', 'not_a_fit', 'withdrawn'],
  accepted: ['contacted', 'meeting', 'won', 'lost', 'not_a_fit'],
  contacted: ['meeting', 'won', 'lost', 'not_a_fit'],
  meeting: ['won', 'lost', 'not_a_fit'],
  won: [],
  lost: [],
  not_a_fit: [],
  withdrawn: [],
};

export const isOpen = (s: Status) => OPEN_STATUSES.includes(s);
export const canMove = (from: Status, to: Status) => NEXT[from].includes(to);

export const STATUS_LABEL: Record<Status, string> = {
  new: 'new',
  accepted: 'accepted',
  contacted: 'contacted',
  meeting: 'meeting booked',
  won: 'won',
  lost: 'lost',
  not_a_fit: 'not a fit (returned)',
  withdrawn: 'withdrawn',
};

/** The receiver's buttons for a status: the next steps, in the order they usually happen. */
export function nextSteps(status: Status): { label: string; to: ReceiverStatus }[] {
  const labels: Record<ReceiverStatus, string> = {
    accepted: 'Accept',
    contacted: 'Contacted',
    meeting: 'Meeting booked',
    won: 'Won',
    lost: 'Lost',
    not_a_fit: 'Not a fit',
  };
  return NEXT[status].filter((s): s is ReceiverStatus => s !== 'withdrawn').map((to) => ({ label: labels[to], to }));
}

export const TEMPERATURE_LABEL = ['', 'a name', 'warm-ish', 'warm', 'hot', 'ready to buy'] as const;
