CREATE TABLE "sim_usage_late" (
	"org_id" uuid NOT NULL,
	"iccid" text NOT NULL,
	"day" date NOT NULL,
	"data_up" bigint DEFAULT 0 NOT NULL,
	"data_down" bigint DEFAULT 0 NOT NULL,
	"sms_mo" integer DEFAULT 0 NOT NULL,
	"sms_mt" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "sim_usage_late_iccid_day_pk" PRIMARY KEY("iccid","day")
);
--> statement-breakpoint
CREATE TABLE "usage_rollup" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"daily_from" date NOT NULL,
	"pending" date,
	CONSTRAINT "usage_rollup_one_row" CHECK ("usage_rollup"."id" = 1)
);
--> statement-breakpoint
-- Decision 026. The daily rows hold every usage up to now: they were written with the hourly ones by
-- the same statement, so the first day not closed is the day after the last daily row. A new database
-- has closed none: '-infinity', and the first roll-up moves it to the first day of the hourly rows.
INSERT INTO "usage_rollup" ("daily_from") SELECT coalesce(max("day") + 1, '-infinity'::date) FROM "sim_usage_daily";--> statement-breakpoint
-- The first day not closed, as a writer of usage must read it: the shared lock waits for a roll-up
-- that is closing a day (it holds the lock exclusively while it moves daily_from) and then keeps the
-- next closing waiting until the writer's transaction ends. The read after the lock is a new
-- statement of a volatile function, so it sees the closing that just committed, whenever the
-- writer's own statement started. That holds under READ COMMITTED only (a transaction snapshot would
-- keep the old value), so any other isolation is refused rather than losing usage.
CREATE FUNCTION usage_daily_from() RETURNS date LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'usage is written under READ COMMITTED only (decision 026), not %',
      current_setting('transaction_isolation');
  END IF;
  PERFORM pg_advisory_xact_lock_shared(hashtext('usage-rollup'));
  RETURN (SELECT daily_from FROM usage_rollup);
END
$$;--> statement-breakpoint
-- A SIM's usage per organisation and day, from whichever table holds the day: the closed days (before
-- the pending day, or daily_from when none is pending) from the daily and late rows, the others from
-- the hourly rows; the daily rows of those days hold only usage without an hour.
CREATE VIEW "sim_usage_days" AS
SELECT u.org_id, u.iccid, u.day, sum(u.data_up)::bigint AS data_up, sum(u.data_down)::bigint AS data_down,
  sum(u.sms_mo)::int AS sms_mo, sum(u.sms_mt)::int AS sms_mt
FROM (
  SELECT d.org_id, d.iccid, d.day, d.data_up, d.data_down, d.sms_mo, d.sms_mt FROM "sim_usage_daily" d
  UNION ALL
  SELECT l.org_id, l.iccid, l.day, l.data_up, l.data_down, l.sms_mo, l.sms_mt FROM "sim_usage_late" l
  WHERE l.day < (SELECT coalesce(r.pending, r.daily_from) FROM "usage_rollup" r)
  UNION ALL
  SELECT h.org_id, h.iccid, (h.hour AT TIME ZONE 'UTC')::date, h.data_up, h.data_down, h.sms_mo, h.sms_mt
  FROM "sim_usage_hourly" h
  WHERE h.hour >= (SELECT coalesce(r.pending, r.daily_from)::timestamp AT TIME ZONE 'UTC' FROM "usage_rollup" r)
) u
GROUP BY u.org_id, u.iccid, u.day;
--> statement-breakpoint
-- The daily rows are now written once, by the roll-up, and kept for months: no room for updates (0033).
ALTER TABLE "sim_usage_daily" RESET (fillfactor);
