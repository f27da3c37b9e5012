/** Where the bot reads time; tests and the shell's `:advance` move a manual clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export class ManualClock implements Clock {
  private current: number;
  constructor(start: Date = new Date('2026-01-05T09:00:00Z')) {
    this.current = start.getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    if (ms < 0) throw new RangeError('the clock only moves forward');
    this.current += ms;
  }
  set(to: Date): void {
    this.current = to.getTime();
  }
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** Parses `3d`, `12h`, `30m`, `2w` (and sums like `1d12h`) into milliseconds; null when malformed. */
export function parseDuration(text: string): number | null {
  const re = /(\d+)\s*([mhdw])/gy;
  let total = 0;
  let matched = 0;
  const s = text.trim();
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    matched = re.lastIndex;
  }
  return matched === s.length && matched > 0 ? total : null;
}

/** A clock that can be moved forward (the shell's `:advance`). */
export interface AdvanceableClock extends Clock {
  advance(ms: number): void;
}

/** Real time plus whatever `:advance` added: the interactive shell's clock keeps flowing. */
export class OffsetClock implements AdvanceableClock {
  private offset = 0;
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
  advance(ms: number): void {
    if (ms < 0) throw new RangeError('the clock only moves forward');
    this.offset += ms;
  }
}
