import { expect, it } from 'vitest';
import { ensureCommunity, groupForChannel } from '../../src/communities/community-repo.js';
import { normalizeCategory } from '../../src/members/categories.js';
import { addToSphere, loadSpheres, sharedSpheres, spheresOf } from '../../src/powerteam/spheres.js';
import { describeEachDatabase } from '../support/databases.js';
import { shellHarness } from '../support/shell.js';

describeEachDatabase('power teams: contact spheres', (database) => {
  async function group() {
    const h = shellHarness(database());
    await h.run('@alice /setup name:"Chapter" type:peer');
    const community = await ensureCommunity(h.core.db, 'shell', h.communityRef, 'Test community');
    return { h, db: h.core.db, group: (await groupForChannel(h.core.db, community.id, 'general'))! };
  }

  it('finds a seat however it is typed: plurals, case, punctuation and the shipped aliases', async () => {
    const { db, group: g } = await group();
    const spheres = await loadSpheres(db, g);
    const keysOf = (typed: string) => spheresOf(spheres, normalizeCategory(typed)).map((s) => s.key);
    expect(keysOf('Realtors')).toEqual(['home and property']);
    expect(keysOf('Real-Estate  Agents')).toEqual(['home and property']);
    expect(keysOf('MORTGAGE ADVISERS')).toEqual(['home and property', 'finance and legal']);
    expect(keysOf('Conveyancer')).toEqual(['home and property']);
    expect(keysOf('plumbing')).toEqual(['trade']); // sphere keys go through the same normalisation
    expect(keysOf('Café owner')).toEqual([]);
    // a category in several spheres
    expect(keysOf('insurance agents')).toEqual([
      'home and property',
      'business service',
      'finance and legal',
      'automotive',
    ]);
    // an alias names its profession, so coverage counts a realtor as the real estate agent
    const home = spheres.find((s) => s.key === 'home and property')!;
    expect(home.aliases.get(normalizeCategory('Realtors'))).toBe('real estate agent');
  });

  it('sphere partners share a sphere; two of one seat are not partners (they compete)', async () => {
    const { db, group: g } = await group();
    const spheres = await loadSpheres(db, g);
    expect(sharedSpheres(spheres, 'realtor', 'home inspector').map((s) => s.key)).toEqual(['home and property']);
    expect(sharedSpheres(spheres, 'realtor', 'realtor')).toEqual([]);
    expect(sharedSpheres(spheres, 'realtor', 'florist')).toEqual([]);
    expect(sharedSpheres(spheres, 'photographer', 'florist').map((s) => s.label)).toEqual(['Events and weddings']);
  });

  it("follows the community's own seat aliases (/seat-alias) into the shipped spheres", async () => {
    const { h, db, group: g } = await group();
    await h.run('@alice /seat-alias alias:"estate agent" category:"property consultant"');
    const spheres = await loadSpheres(db, g);
    expect(spheresOf(spheres, 'property consultant').map((s) => s.key)).toEqual(['home and property']);
  });

  it('moderators extend a shipped sphere or add their own, per group, resolved like seats', async () => {
    const { h, db, group: g } = await group();
    const r = await addToSphere(db, g, 'Pet care', 'Vets, dog groomers; pet-sitter');
    expect(r.added).toEqual(['vet', 'dog groomer', 'pet sitter']);
    const again = await addToSphere(db, g, 'pet care', 'vet, Cat Sitter');
    expect(again).toMatchObject({ added: ['cat sitter'], already: ['vet'] });
    await addToSphere(db, g, 'Home and Property', 'Locksmiths');
    const spheres = await loadSpheres(db, g);
    expect(spheresOf(spheres, 'vet').map((s) => s.label)).toEqual(['Pet care']);
    expect(spheresOf(spheres, 'locksmith').map((s) => s.key)).toEqual(['home and property']);
    // another group (another community here) does not see the additions
    const other = shellHarness(database());
    await other.run('@zed /setup name:"Elsewhere" type:peer');
    const c2 = await ensureCommunity(other.core.db, 'shell', other.communityRef, 'Test community');
    const g2 = (await groupForChannel(other.core.db, c2.id, 'general'))!;
    expect(spheresOf(await loadSpheres(other.core.db, g2), 'vet')).toEqual([]);
    expect(spheresOf(await loadSpheres(other.core.db, g2), 'locksmith')).toEqual([]);
    void h;
  });
});
