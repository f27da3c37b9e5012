CREATE TABLE "seat_conflicts" (
	"group_id" integer NOT NULL,
	"seat_key" text NOT NULL,
	"member_ids" integer[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "seat_conflicts_group_id_seat_key_pk" PRIMARY KEY("group_id","seat_key")
);
--> statement-breakpoint
ALTER TABLE "seat_conflicts" ADD CONSTRAINT "seat_conflicts_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "referrals_group_open" ON "referrals" USING btree ("group_id","status","receiver_id","created_at","updated_at") WHERE "referrals"."status" in ('new', 'accepted', 'contacted', 'meeting');--> statement-breakpoint
CREATE INDEX "referrals_group_won" ON "referrals" USING btree ("group_id","closed_at","giver_id","receiver_id","currency","amount") WHERE "referrals"."status" = 'won';--> statement-breakpoint
-- Seat keys now take the confusable skeleton of ASCII too (src/members/categories.ts): "rn" and "m", "1" and "l",
-- "0" and "o" are one seat. Keys stored before keep their non-ASCII skeleton; on top of it the new key turns 0 into o
-- and 1 into l, writes rn as m, and makes English plurals singular again (a word that held a digit was not). These
-- two functions do exactly that to a stored key (test/members/rekey-0007.test.ts checks them against categoryKey).
CREATE OR REPLACE FUNCTION rt_singular_0007(w text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN length(w) <= 3 OR w !~ '^[a-z]+$' OR w ~ '(ss|us|is|ics|ous|sis|ys)$' THEN w
    WHEN w ~ 'ies$' THEN left(w, -3) || 'y'
    WHEN w ~ '(ches|shes|xes|zes|sses)$' THEN left(w, -2)
    WHEN w ~ 's$' THEN left(w, -1)
    ELSE w
  END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION rt_seat_key_0007(k text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN k IS NULL OR k !~ '[01]|rn' THEN k
    ELSE (
      SELECT string_agg(rt_singular_0007(w), ' ' ORDER BY n)
      FROM regexp_split_to_table(replace(translate(k, '01', 'ol'), 'rn', 'm'), ' ') WITH ORDINALITY AS t(w, n)
    )
  END
$$;
--> statement-breakpoint
-- Members of a one-seat group whose seats become one: flagged, never merged. Both keep their membership and seat;
-- each moderator of the group gets a DM (an outbox row, delivered like any other) to let them share the seat or ask
-- one to change their category. Run again, the keys are already new and nothing more is flagged.
INSERT INTO seat_conflicts (group_id, seat_key, member_ids)
SELECT gm.group_id, rt_seat_key_0007(gm.seat_key), array_agg(gm.member_id ORDER BY gm.member_id)
FROM group_memberships gm
JOIN groups g ON g.id = gm.group_id
WHERE gm.status = 'active' AND gm.seat_key IS NOT NULL
  AND coalesce((g.settings ->> 'oneSeatPerCategory')::boolean, false)
  AND NOT EXISTS (
    SELECT 1 FROM seat_overrides o
    WHERE o.group_id = gm.group_id AND o.member_id = gm.member_id AND rt_seat_key_0007(o.seat_key) = rt_seat_key_0007(gm.seat_key)
  )
GROUP BY gm.group_id, rt_seat_key_0007(gm.seat_key)
HAVING count(*) > 1 AND count(DISTINCT gm.seat_key) > 1
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO outbox (idempotency_key, community_id, platform, target, content, member_id, next_attempt_at)
SELECT
  'seat-conflict-0007:' || sc.group_id || ':' || sc.seat_key || ':' || gm.member_id,
  g.community_id,
  c.platform,
  jsonb_build_object('kind', 'dm', 'memberId', gm.member_id, 'fallback', true),
  jsonb_build_object('text',
    'Seat conflict in ' || g.name || ': seat keys now treat look-alike letters (rn and m, 1 and l, 0 and o) as the same, so '
    || (SELECT string_agg(m.display_name, ', ' ORDER BY m.display_name) FROM members m WHERE m.id = ANY (sc.member_ids))
    || ' now hold the same “' || sc.seat_key || '” seat. Nobody was removed. Let them share it with /seats, or ask one of them to change their category with /intro.'),
  gm.member_id,
  now()
FROM seat_conflicts sc
JOIN groups g ON g.id = sc.group_id
JOIN communities c ON c.id = g.community_id
JOIN group_memberships gm ON gm.group_id = sc.group_id AND gm.role = 'moderator' AND gm.status = 'active'
ON CONFLICT DO NOTHING;
--> statement-breakpoint
UPDATE group_memberships SET seat_key = rt_seat_key_0007(seat_key) WHERE seat_key <> rt_seat_key_0007(seat_key);
--> statement-breakpoint
UPDATE profiles SET category_key = rt_seat_key_0007(category_key) WHERE category_key <> rt_seat_key_0007(category_key);
--> statement-breakpoint
UPDATE seat_leads SET category_key = rt_seat_key_0007(category_key) WHERE category_key <> rt_seat_key_0007(category_key);
--> statement-breakpoint
-- Tables keyed by a seat: rows that become one are the same seat now (moderators' settings, no member's seat), so
-- one is kept: the smallest old key of each.
DELETE FROM seat_overrides a USING seat_overrides b
WHERE a.group_id = b.group_id AND a.member_id = b.member_id AND a.seat_key > b.seat_key
  AND rt_seat_key_0007(a.seat_key) = rt_seat_key_0007(b.seat_key);
--> statement-breakpoint
UPDATE seat_overrides SET seat_key = rt_seat_key_0007(seat_key) WHERE seat_key <> rt_seat_key_0007(seat_key);
--> statement-breakpoint
DELETE FROM wanted_seats a USING wanted_seats b
WHERE a.group_id = b.group_id AND a.category_key > b.category_key
  AND rt_seat_key_0007(a.category_key) = rt_seat_key_0007(b.category_key);
--> statement-breakpoint
UPDATE wanted_seats SET category_key = rt_seat_key_0007(category_key) WHERE category_key <> rt_seat_key_0007(category_key);
--> statement-breakpoint
DELETE FROM group_spheres a USING group_spheres b
WHERE a.group_id = b.group_id AND a.sphere_key = b.sphere_key AND a.category_key > b.category_key
  AND rt_seat_key_0007(a.category_key) = rt_seat_key_0007(b.category_key);
--> statement-breakpoint
UPDATE group_spheres SET category_key = rt_seat_key_0007(category_key) WHERE category_key <> rt_seat_key_0007(category_key);
--> statement-breakpoint
DELETE FROM category_aliases a USING category_aliases b
WHERE a.community_id = b.community_id AND a.alias_key > b.alias_key
  AND rt_seat_key_0007(a.alias_key) = rt_seat_key_0007(b.alias_key);
--> statement-breakpoint
UPDATE category_aliases SET alias_key = rt_seat_key_0007(alias_key), category_key = rt_seat_key_0007(category_key)
WHERE alias_key <> rt_seat_key_0007(alias_key) OR category_key <> rt_seat_key_0007(category_key);
--> statement-breakpoint
DELETE FROM category_aliases WHERE alias_key = category_key;
--> statement-breakpoint
-- Learned affinities are counts per pair of seats: pairs that become one add up.
WITH moved AS (
  DELETE FROM category_affinities
  WHERE giver_category <> rt_seat_key_0007(giver_category) OR receiver_category <> rt_seat_key_0007(receiver_category)
  RETURNING community_id, group_id, rt_seat_key_0007(giver_category) AS g, rt_seat_key_0007(receiver_category) AS r, slips
)
INSERT INTO category_affinities (community_id, group_id, giver_category, receiver_category, slips)
SELECT community_id, group_id, g, r, sum(slips)::int FROM moved GROUP BY community_id, group_id, g, r
ON CONFLICT (community_id, giver_category, receiver_category, group_id)
DO UPDATE SET slips = category_affinities.slips + excluded.slips;
