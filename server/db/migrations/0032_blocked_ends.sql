ALTER TABLE "sims" ADD COLUMN "refused_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "sims_blocked_idx" ON "sims" USING btree ("iccid") WHERE session_state = 'blocked';--> statement-breakpoint
-- the blocked SIMs of before: refused when last seen
UPDATE sims SET refused_at = last_seen_at WHERE session_state = 'blocked';
--> statement-breakpoint
-- A blocked SIM (its data session refused: volume, lifetime, limit, IMEI lock) is offline again as
-- soon as a change may have removed the cause (decision 025): more data volume than used, a later
-- end of life still ahead, activated again, its IMEI lock off or its bound IMEI released or changed,
-- another organisation (another monthly limit). If the cause stands, the next Access-Request is
-- refused and blocks it again. Only updates that set these columns fire it; the accounting's usage
-- updates never do.
CREATE FUNCTION sims_unblock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.session_state := 'offline';
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER sims_unblock
  BEFORE UPDATE OF data_total, end_of_life, status, imei_lock, locked_imei, org_id ON sims
  FOR EACH ROW
  WHEN (OLD.session_state = 'blocked' AND NEW.session_state = 'blocked' AND (
    (NEW.data_total > OLD.data_total AND NEW.data_total > NEW.data_used)
    OR (NEW.end_of_life > OLD.end_of_life AND NEW.end_of_life > now())
    OR (NEW.status = 'activated' AND OLD.status <> 'activated')
    OR (OLD.imei_lock AND NOT NEW.imei_lock)
    OR (OLD.locked_imei IS NOT NULL AND NEW.locked_imei IS DISTINCT FROM OLD.locked_imei)
    OR NEW.org_id IS DISTINCT FROM OLD.org_id))
  EXECUTE FUNCTION sims_unblock();
