import type { Db } from '../../db/client.js';
import type { GroupRow } from '../communities/rows.js';
import { svgToPng } from '../reports/rasterise.js';
import { loadMemberTotals, type MemberTotals } from './member-totals.js';
import { groupSeats, type NetMember, type Network } from './network.js';
import { layoutNetwork, type NetworkLayout } from './network-graph.js';
import { renderNetworkSvg } from './network-svg.js';
import { loadSpheres, type Sphere } from './spheres.js';

/** A sphere with fewer members than this is thin: too few partners to pass business around. */
export const THIN_SPHERE = 3;

export interface SphereCoverage {
  sphere: Sphere;
  members: NetMember[];
  /** Professions of the sphere nobody in the group holds. */
  missing: string[];
}

export interface PowerTeamReport {
  /** Active members with their seats. */
  members: NetMember[];
  currency: string;
  /** Slips of the period and their closed value plus thank-yous', in `currency`. */
  slips: number;
  value: number;
  /** What each member gave and received in the period (no entry: nothing either way). */
  totals: Map<number, MemberTotals>;
  coverage: SphereCoverage[];
  thin: SphereCoverage[];
  empty: Sphere[];
  /** Active members who neither gave nor received anything in the period. */
  giversInWaiting: NetMember[];
  spheres: Sphere[];
}

/** Which spheres the group's seats fill, who is in each, and what each lacks. */
export function sphereCoverage(spheres: readonly Sphere[], members: readonly NetMember[]): SphereCoverage[] {
  return spheres.map((sphere) => {
    const inIt = members.filter((m) => m.categoryKey && sphere.keys.has(m.categoryKey));
    // a seat held under another name of a profession (realtor) fills that profession (real estate agent)
    const held = new Set(inIt.map((m) => sphere.aliases.get(m.categoryKey!) ?? m.categoryKey));
    const missing = sphere.professions.filter((p) => !held.has(p.key));
    return { sphere, members: inIt, missing: missing.map((p) => p.label) };
  });
}

/**
 * /powerteam report's text: coverage, thin spheres, givers in waiting and the period's totals. Counted per member in
 * the database; the per-pair network is the picture's (loadNetwork, laid out by reportLayout), which the command
 * reads alongside.
 */
export async function powerTeamReport(db: Db, group: GroupRow, from: Date, now: Date): Promise<PowerTeamReport> {
  const [members, period, spheres] = await Promise.all([
    groupSeats(db, group.id),
    loadMemberTotals(db, group, from, now),
    loadSpheres(db, group),
  ]);
  const all = sphereCoverage(spheres, members);
  const coverage = all.filter((c) => c.members.length > 0).sort((a, b) => b.members.length - a.members.length);
  const thin = coverage.filter((c) => c.members.length < THIN_SPHERE);
  const empty = all.filter((c) => c.members.length === 0).map((c) => c.sphere);
  const giversInWaiting = members.filter((m) => {
    const t = period.members.get(m.id);
    return !t || (t.given === 0 && t.received === 0);
  });
  const { currency, slips, value } = period;
  return { members, currency, slips, value, totals: period.members, coverage, thin, empty, giversInWaiting, spheres };
}

/** The network laid out (graphology: ForceAtlas2, Louvain clusters) for the picture, in the report's spheres. */
export const reportLayout = (report: PowerTeamReport, network: Network): NetworkLayout =>
  layoutNetwork(network, report.spheres);

/** The network as a PNG, with its title and the period in words. */
export function networkPng(
  report: PowerTeamReport,
  layout: NetworkLayout,
  title: string,
  subtitle: string,
): Uint8Array {
  return svgToPng(renderNetworkSvg(layout, report.spheres, title, subtitle));
}
