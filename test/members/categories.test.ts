import { describe, expect, it } from 'vitest';
import { normalizeCategory } from '../../src/members/categories.js';
import { searchQuery } from '../../src/members/directory.js';

describe('category normalisation', () => {
  it.each([
    ['Plumbers', 'plumber'],
    ['  Real-Estate   Agents ', 'real estate agent'],
    ['Accountancies', 'accountancy'],
    ['Business Coaches', 'business coach'],
    ['Fitness & Wellness', 'fitness and wellness'],
    ['Café Owners', 'cafe owner'],
    ['Solicitors', 'solicitor'],
    ['Glass', 'glass'],
    ['Physics tutors', 'physics tutor'],
    ['Boxes', 'box'],
  ])('%s → %s', (input, key) => {
    expect(normalizeCategory(input)).toBe(key);
  });

  it('makes one seat of spellings people use for the same trade', () => {
    expect(normalizeCategory('IT Consultants')).toBe(normalizeCategory('it consultant'));
  });
});

describe('search query', () => {
  it('turns words into a safe prefix OR query', () => {
    expect(searchQuery('Leaking roof!')).toEqual({ exact: 'leaking | roof', prefix: 'leaking:* | roof:*' });
    expect(searchQuery("'; drop table profiles; --")?.prefix).toBe('drop:* | table:* | profiles:*');
    expect(searchQuery('!!')).toBeNull();
  });
});
