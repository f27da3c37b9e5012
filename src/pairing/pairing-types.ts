/** Types of one pairing round's input and output (see matcher.ts for the contract). */

export type PairingMode = 'standard' | 'cross-category' | 'mentor-mentee' | 'power-team';
export type MentorRole = 'can' | 'seeks';
export type GroupSize = 2 | 3 | 4;

/** One member taking part in this round. Snoozed and skipped members are simply not passed in. */
export interface PairingParticipant {
  id: number;
  /** Normalised seat key (profession); null when unknown. */
  category: string | null;
  /** Mentor-mentee mode: 'can' mentor, 'seeks' a mentor; null otherwise. */
  mentor: MentorRole | null;
  /** Offset from UTC in minutes (e.g. 60 for CET); null when unknown. */
  utcOffsetMinutes: number | null;
  /** Mentees a 'can' member may take in one round; default 1. */
  mentorCapacity?: number;
}

/** The last time two members met in an earlier round (several rows per pair are fine: the latest counts). */
export interface PastMeeting {
  a: number;
  b: number;
  lastMetAt: Date;
}

export interface RoundInput {
  participants: readonly PairingParticipant[];
  /** Members per group; 2 by default. Ignored in mentor-mentee mode, where a mentor's capacity sets the size. */
  groupSize?: GroupSize;
  mode?: PairingMode;
  /** Pairs never to put in one group (either member's confidential "never pair me with"). */
  excluded?: readonly (readonly [number, number])[];
  history?: readonly PastMeeting[];
  /** The round's time, to measure how long ago pairs met. */
  now: Date;
  /**
   * Power-team mode: pairs worth bringing together, scored 1..3 (3: sphere partners, 2: high category affinity,
   * 1: some affinity), from src/powerteam. Other modes ignore it.
   */
  powerPairs?: readonly PowerPair[];
}

export interface PowerPair {
  a: number;
  b: number;
  score: 1 | 2 | 3;
}

export type UnplacedCode =
  | 'no-allowed-partner'
  | 'same-category-only'
  | 'no-mentor-role'
  | 'no-mentor-available'
  | 'no-mentee-available'
  | 'partners-taken';

export interface Unplaced {
  memberId: number;
  code: UnplacedCode;
  /** Human-readable; never names another member nor says that someone excluded them (exclusions are confidential). */
  reason: string;
}

export interface RoundResult {
  /** Member ids per group, each group sorted by id, groups sorted by their first id. */
  groups: number[][];
  unplaced: Unplaced[];
}
