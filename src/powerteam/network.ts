import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';
import type { GroupRow } from '../communities/rows.js';
import { readSettings } from '../groups/group-settings.js';

/** An active member of the group, as the network draws them. */
export interface NetMember {
  id: number;
  name: string;
  categoryKey: string | null;
  category: string | null;
}

/** Business passed from one member to another in the period: slips and thank-yous for closed business. */
export interface Flow {
  giverId: number;
  receiverId: number;
  slips: number;
  /** Slips of the period that were won. */
  won: number;
  /** Closed value of those won slips plus thank-yous, in the group's currency (other currencies are not summed). */
  value: number;
  thanks: number;
}

/** What two members share regardless of direction: connections made between them and 1-to-1s they had. */
export interface Tie {
  a: number;
  b: number;
  connections: number;
  /** 1-to-1s that happened (a pairing's check-in said "Met") in the period. */
  oneToOnes: number;
  /** The latest 1-to-1 ever, in or before the period; null when they never had one. */
  lastOneToOne: Date | null;
}

export interface Network {
  from: Date;
  to: Date;
  currency: string;
  members: NetMember[];
  flows: Flow[];
  ties: Tie[];
  /** Connections each member gave (introduced two others) in the period. */
  connectionsGiven: Map<number, number>;
}

const num = (v: unknown) => Number(v ?? 0);

/** Active members of the group with their seats. */
export async function groupSeats(db: Db, groupId: number): Promise<NetMember[]> {
  const rows = rowsOf<{ id: number; name: string; category_key: string | null; category: string | null }>(
    await db.execute(sql`
      select m.id, m.display_name as name, p.category_key, p.category
      from group_memberships gm
      join members m on m.id = gm.member_id
      left join profiles p on p.member_id = m.id
      where gm.group_id = ${groupId} and gm.status = 'active'
      order by m.display_name, m.id`),
  );
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    categoryKey: r.category_key || null,
    category: r.category || null,
  }));
}

/**
 * The slips and thank-yous of a group in [from, to] (`to` is now: a slip of this instant counts), per giver and receiver; `memberId` keeps only the flows that
 * touch one member. Slips come from the referrals_group_created index alone; withdrawn slips do not count.
 */
export function flowsSql(groupId: number, from: Date, to: Date, currency: string, memberId?: number) {
  const touching = (g: string, r: string) =>
    memberId === undefined ? sql`` : sql` and (${sql.raw(g)} = ${memberId} or ${sql.raw(r)} = ${memberId})`;
  return sql`
    select giver_id, receiver_id, sum(slips) as slips, sum(won) as won, sum(value) as value, sum(thanks) as thanks
    from (
      select giver_id, receiver_id, count(*) as slips, count(*) filter (where status = 'won') as won,
             coalesce(sum(amount) filter (where status = 'won' and currency = ${currency}), 0) as value, 0 as thanks
      from referrals
      where group_id = ${groupId} and created_at >= ${from.toISOString()} and created_at <= ${to.toISOString()}
        and status <> 'withdrawn' and giver_id is not null and receiver_id is not null${touching('giver_id', 'receiver_id')}
      group by giver_id, receiver_id
      union all
      select giver_id, receiver_id, 0, 0, coalesce(sum(amount) filter (where currency = ${currency}), 0), count(*)
      from closed_business
      where group_id = ${groupId} and created_at >= ${from.toISOString()} and created_at <= ${to.toISOString()}
        and giver_id is not null and receiver_id is not null${touching('giver_id', 'receiver_id')}
      group by giver_id, receiver_id
    ) f
    group by giver_id, receiver_id`;
}

/** Connections between two members (introduced by anyone) in the period, and who gave them. */
export function connectionsSql(groupId: number, from: Date, to: Date, memberId?: number) {
  const touching =
    memberId === undefined
      ? sql``
      : sql` and (member_a_id = ${memberId} or member_b_id = ${memberId} or giver_id = ${memberId})`;
  return sql`
    select giver_id, least(member_a_id, member_b_id) as a, greatest(member_a_id, member_b_id) as b, count(*) as n
    from connections
    where group_id = ${groupId} and created_at >= ${from.toISOString()} and created_at <= ${to.toISOString()}
      and member_a_id is not null and member_b_id is not null${touching}
    group by giver_id, least(member_a_id, member_b_id), greatest(member_a_id, member_b_id)`;
}

/** 1-to-1s that happened in the group's pairing programs: per pair, how many in the period and the latest ever. */
export function oneToOnesSql(groupId: number, from: Date, to: Date, memberId?: number) {
  const touching = memberId === undefined ? sql`` : sql` and (a.member_id = ${memberId} or b.member_id = ${memberId})`;
  return sql`
    select a.member_id as a, b.member_id as b,
           count(*) filter (where r.started_at >= ${from.toISOString()}) as n, max(r.started_at) as last
    from pairing_programs p
    join pairing_rounds r on r.program_id = p.id
    join pairing_groups g on g.round_id = r.id and g.status = 'met'
    join pairing_group_members a on a.pairing_group_id = g.id
    join pairing_group_members b on b.pairing_group_id = g.id and a.member_id < b.member_id
    where p.group_id = ${groupId} and r.started_at <= ${to.toISOString()}${touching}
    group by a.member_id, b.member_id`;
}

/** The group's referral network over [from, to]: flows, connections and 1-to-1s, optionally around one member. */
export async function loadNetwork(
  db: Db,
  group: GroupRow,
  from: Date,
  to: Date,
  opts: { memberId?: number } = {},
): Promise<Network> {
  const currency = readSettings(group.settings).referrals.currency;
  // independent reads: on PostgreSQL outside a transaction (read-only commands) they run on pooled connections at once
  const [members, flowResult, connectionResult, oneToOneResult] = await Promise.all([
    groupSeats(db, group.id),
    db.execute(flowsSql(group.id, from, to, currency, opts.memberId)),
    db.execute(connectionsSql(group.id, from, to, opts.memberId)),
    db.execute(oneToOnesSql(group.id, from, to, opts.memberId)),
  ]);
  const flowRows = rowsOf<Record<string, unknown>>(flowResult);
  const flows: Flow[] = flowRows.map((r) => ({
    giverId: num(r.giver_id),
    receiverId: num(r.receiver_id),
    slips: num(r.slips),
    won: num(r.won),
    value: num(r.value),
    thanks: num(r.thanks),
  }));
  const ties = new Map<string, Tie>();
  const tie = (a: number, b: number): Tie => {
    const [x, y] = a < b ? [a, b] : [b, a];
    const k = `${x}:${y}`;
    let t = ties.get(k);
    if (!t) {
      t = { a: x, b: y, connections: 0, oneToOnes: 0, lastOneToOne: null };
      ties.set(k, t);
    }
    return t;
  };
  const connectionsGiven = new Map<number, number>();
  for (const r of rowsOf<Record<string, unknown>>(connectionResult)) {
    const n = num(r.n);
    const onPair = opts.memberId === undefined || num(r.a) === opts.memberId || num(r.b) === opts.memberId;
    if (onPair) tie(num(r.a), num(r.b)).connections += n;
    if (r.giver_id !== null) connectionsGiven.set(num(r.giver_id), (connectionsGiven.get(num(r.giver_id)) ?? 0) + n);
  }
  for (const r of rowsOf<Record<string, unknown>>(oneToOneResult)) {
    const t = tie(num(r.a), num(r.b));
    t.oneToOnes += num(r.n);
    t.lastOneToOne = r.last ? new Date(r.last as string) : null;
  }
  return { from, to, currency, members, flows, ties: [...ties.values()], connectionsGiven };
}

/** Members the given member ever did business with in this group, either way (slips or thank-yous, any time). */
export async function businessCounterparts(db: Db, group: GroupRow, memberId: number): Promise<Set<number>> {
  const rows = rowsOf<{ other: number }>(
    await db.execute(sql`
      select receiver_id as other from referrals
        where community_id = ${group.communityId} and giver_id = ${memberId} and group_id = ${group.id} and receiver_id is not null
      union
      select giver_id from referrals
        where community_id = ${group.communityId} and receiver_id = ${memberId} and group_id = ${group.id} and giver_id is not null
      union
      select receiver_id from closed_business
        where community_id = ${group.communityId} and giver_id = ${memberId} and group_id = ${group.id} and receiver_id is not null
      union
      select giver_id from closed_business
        where community_id = ${group.communityId} and receiver_id = ${memberId} and group_id = ${group.id} and giver_id is not null`),
  );
  return new Set(rows.map((r) => Number(r.other)));
}
