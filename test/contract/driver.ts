/**
 * The contract every adapter passes: a driver runs shell-transcript lines (`@alice /intro …`, `:press "Approve"`,
 * `:advance 3d`, `:moderator bob`) through its platform — the shell directly, Discord and Slack through their real
 * clients against loopback fakes — and reports what the bot said in one normalised form. Scenarios are written once
 * (test/contract/scenarios.ts) and run on every driver.
 */
export interface NormalizedMessage {
  /** Member names for a DM, private/ephemeral reply or shared conversation; null for a channel post. */
  to: string[] | null;
  /** Channel name for a channel post. */
  channel: string | null;
  private: boolean;
  /** All visible text, card fields included ("Label: value" lines). */
  text: string;
  buttons: string[];
  edited?: boolean;
}

export interface Driver {
  readonly platform: 'shell' | 'discord' | 'slack';
  /** Runs transcript lines in order; resolves with the messages they produced. */
  run(script: string): Promise<NormalizedMessage[]>;
  close(): Promise<void>;
}

export type DriverFactory = (database: import('../../db/client.js').Database) => Promise<Driver>;
