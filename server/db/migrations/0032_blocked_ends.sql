CREATE INDEX "sims_blocked_idx" ON "sims" USING btree ("iccid") WHERE session_state = 'blocked';--> statement-breakpoint
-- A blocked SIM (its data session refused: volume, lifetime, limit, IMEI lock) is offline again as
-- soon as a change may have removed the cause: more data volume, a longer lifetime, activated again,
-- its IMEI lock off or bound anew (decision 025). If the cause stands, the next Access-Request is
-- refused and blocks it again. Only updates that set these columns fire it; the accounting's never do.
CREATE FUNCTION sims_unblock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.session_state := 'offline';
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER sims_unblock BEFORE UPDATE OF data_total, end_of_life, status, imei_lock, locked_imei ON sims
  FOR EACH ROW
  WHEN (OLD.session_state = 'blocked' AND NEW.session_state = 'blocked' AND (
    NEW.data_total > OLD.data_total
    OR NEW.end_of_life > OLD.end_of_life
    OR (NEW.status = 'activated' AND OLD.status <> 'activated')
    OR (OLD.imei_lock AND NOT NEW.imei_lock)
    OR NEW.locked_imei IS DISTINCT FROM OLD.locked_imei))
  EXECUTE FUNCTION sims_unblock();
