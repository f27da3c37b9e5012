import { describe, expect, it } from 'vitest';
import { parseLine, TranscriptError } from '../../adapters/shell/transcript.js';

describe('transcript lines', () => {
  it('reads an acting member with a command', () => {
    expect(parseLine('@Alice /intro business:"Acme Plumbing" category:plumber', 1)).toEqual({
      kind: 'command',
      actor: 'alice',
      text: '/intro business:"Acme Plumbing" category:plumber',
    });
  });

  it('reads directives', () => {
    expect(parseLine(':moderator @bob', 1)).toEqual({ kind: 'moderator', member: 'bob' });
    expect(parseLine(':press "Accept"', 1)).toEqual({ kind: 'press', label: 'Accept' });
    expect(parseLine('@carol :press "Approve"', 1)).toEqual({ kind: 'press', label: 'Approve', actor: 'carol' });
    expect(parseLine(':advance 1d12h', 1)).toEqual({ kind: 'advance', ms: 36 * 3_600_000, text: '1d12h' });
    expect(parseLine('/as dave', 1)).toEqual({ kind: 'as', actor: 'dave' });
    expect(parseLine('@erin', 1)).toEqual({ kind: 'as', actor: 'erin' });
  });

  it('ignores comments and blank lines', () => {
    expect(parseLine('# a comment', 1)).toBeNull();
    expect(parseLine('   ', 2)).toBeNull();
  });

  it('stops on unknown directives and unparsable lines, naming the line', () => {
    for (const [line, msg] of [
      [':dance now', 'unknown directive :dance'],
      [':advance soon', ':advance needs a duration'],
      ['hello there', 'unparsable line'],
      ['@bob hello', 'expected a /command'],
      [':press', ':press needs a label'],
    ] as const) {
      const err = (() => {
        try {
          parseLine(line, 7);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(TranscriptError);
      expect((err as Error).message).toContain('line 7');
      expect((err as Error).message).toContain(msg);
    }
  });
});
