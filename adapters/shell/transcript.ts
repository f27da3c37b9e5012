import { parseDuration } from '../../src/clock.js';
import { tokenize } from '../../src/commands/parse-text.js';
import { UserError } from '../../src/errors.js';

/** One line of a shell transcript, understood. */
export type Directive =
  | { kind: 'command'; actor?: string; text: string }
  | { kind: 'as'; actor: string }
  | { kind: 'moderator'; member: string }
  | { kind: 'press'; label: string; actor?: string }
  | { kind: 'choose'; label: string; actor?: string }
  /** Fills in and submits the form the bot last opened for the actor: `:fill amount:4500 currency:USD`. */
  | { kind: 'fill'; values: Record<string, string>; actor?: string }
  | { kind: 'advance'; ms: number; text: string };

export class TranscriptError extends Error {
  constructor(
    readonly lineNo: number,
    message: string,
  ) {
    super(`line ${lineNo}: ${message}`);
  }
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,31}$/i;
const unquote = (s: string) => s.trim().replace(/^["“](.*)["”]$/, '$1');

/** Reads one transcript line; null for comments and blank lines. */
export function parseLine(raw: string, lineNo: number): Directive | null {
  const line = raw.trim();
  if (line === '' || line.startsWith('#')) return null;
  if (line.startsWith('@')) {
    const m = /^@(\S+)\s*(.*)$/.exec(line)!;
    const actor = m[1]!.toLowerCase();
    if (!NAME.test(actor)) throw new TranscriptError(lineNo, `“${m[1]}” is not a member name (letters, digits, . _ -)`);
    const rest = m[2]!.trim();
    if (rest === '') return { kind: 'as', actor };
    if (rest.startsWith(':press') || rest.startsWith(':choose') || rest.startsWith(':fill')) {
      const d = parseLine(rest, lineNo) as Extract<Directive, { kind: 'press' | 'choose' | 'fill' }>;
      return { ...d, actor };
    }
    if (!rest.startsWith('/')) throw new TranscriptError(lineNo, `expected a /command or :press after @${actor}`);
    return { kind: 'command', actor, text: rest };
  }
  if (line.startsWith('/as ') || line === '/as') {
    const actor = line.slice(3).trim().replace(/^@/, '').toLowerCase();
    if (!NAME.test(actor)) throw new TranscriptError(lineNo, '/as needs a member name, e.g. /as alice');
    return { kind: 'as', actor };
  }
  if (line.startsWith('/')) return { kind: 'command', text: line };
  if (line.startsWith(':')) {
    const [word = '', ...rest] = line.slice(1).split(/\s+/);
    const arg = rest.join(' ').trim();
    switch (word) {
      case 'moderator': {
        const member = arg.replace(/^@/, '').toLowerCase();
        if (!NAME.test(member)) throw new TranscriptError(lineNo, ':moderator needs a member name');
        return { kind: 'moderator', member };
      }
      case 'press':
      case 'choose': {
        const label = unquote(arg);
        if (!label) throw new TranscriptError(lineNo, `:${word} needs a label, e.g. :${word} "Accept"`);
        return { kind: word, label };
      }
      case 'fill': {
        const values: Record<string, string> = {};
        try {
          for (const t of tokenize(arg)) {
            if (t.key === undefined)
              throw new TranscriptError(lineNo, `:fill takes field:value pairs (got “${t.value}”)`);
            values[t.key] = t.value;
          }
        } catch (err) {
          if (err instanceof UserError) throw new TranscriptError(lineNo, err.message);
          throw err;
        }
        return { kind: 'fill', values };
      }
      case 'advance': {
        const ms = parseDuration(arg);
        if (ms === null)
          throw new TranscriptError(lineNo, `:advance needs a duration such as 3d, 12h, 30m or 2w (got “${arg}”)`);
        return { kind: 'advance', ms, text: arg };
      }
      default:
        throw new TranscriptError(
          lineNo,
          `unknown directive :${word} (known: :moderator, :press, :choose, :fill, :advance)`,
        );
    }
  }
  throw new TranscriptError(lineNo, 'unparsable line: expected @member /command, /command, :directive or # comment');
}
