-- Learned category affinities (issue 19): every new slip adds one to (giver's seat → receiver's seat) of its group.
-- A trigger rather than application code: referrals are written in several places (/refer, "Refer someone" on an
-- ask, a 1-to-1's outcome), and the counts must agree with the slips whichever path wrote them. Counts only: the
-- table holds no member id, so groups of one community may read each other's rows.
CREATE FUNCTION powerteam_count_affinity() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  giver_cat text;
  receiver_cat text;
BEGIN
  IF NEW.giver_id IS NULL OR NEW.receiver_id IS NULL THEN
    RETURN NEW;
  END IF;
  SELECT category_key INTO giver_cat FROM profiles WHERE member_id = NEW.giver_id;
  SELECT category_key INTO receiver_cat FROM profiles WHERE member_id = NEW.receiver_id;
  IF giver_cat IS NULL OR receiver_cat IS NULL OR giver_cat = '' OR receiver_cat = '' THEN
    RETURN NEW;
  END IF;
  INSERT INTO category_affinities (community_id, group_id, giver_category, receiver_category, slips)
  VALUES (NEW.community_id, coalesce(NEW.group_id, 0), giver_cat, receiver_cat, 1)
  ON CONFLICT (community_id, giver_category, receiver_category, group_id)
  DO UPDATE SET slips = category_affinities.slips + 1;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER referrals_count_affinity AFTER INSERT ON referrals
  FOR EACH ROW EXECUTE FUNCTION powerteam_count_affinity();
--> statement-breakpoint
-- Slips written before this migration, with their members' seats as they are now.
INSERT INTO category_affinities (community_id, group_id, giver_category, receiver_category, slips)
SELECT r.community_id, coalesce(r.group_id, 0), g.category_key, v.category_key, count(*)
FROM referrals r
JOIN profiles g ON g.member_id = r.giver_id
JOIN profiles v ON v.member_id = r.receiver_id
WHERE g.category_key <> '' AND v.category_key <> ''
GROUP BY 1, 2, 3, 4;
