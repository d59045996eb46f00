CREATE TABLE "sim_data_left" (
	"iccid" text PRIMARY KEY NOT NULL,
	"org_id" uuid,
	"data_left" bigint NOT NULL
);
--> statement-breakpoint
DROP INDEX "sims_org_data_left_idx";--> statement-breakpoint
CREATE INDEX "sim_data_left_org_idx" ON "sim_data_left" USING btree ("org_id","data_left","iccid");--> statement-breakpoint
-- Keep sim_data_left in step with sims (decision 013): statement-level triggers, one set-based
-- statement per change however many SIMs it touches; an UPDATE writes only rows whose organisation
-- or data left changed.
CREATE FUNCTION sim_data_left_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO sim_data_left (iccid, org_id, data_left)
    SELECT iccid, org_id, data_total - data_used FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    DELETE FROM sim_data_left d USING old_rows o WHERE d.iccid = o.iccid;
  ELSE
    UPDATE sim_data_left d SET org_id = n.org_id, data_left = n.data_total - n.data_used
    FROM new_rows n
    WHERE d.iccid = n.iccid
      AND (d.org_id IS DISTINCT FROM n.org_id OR d.data_left <> n.data_total - n.data_used);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER sims_data_left_insert AFTER INSERT ON sims REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sim_data_left_apply();
--> statement-breakpoint
CREATE TRIGGER sims_data_left_update AFTER UPDATE ON sims REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sim_data_left_apply();
--> statement-breakpoint
CREATE TRIGGER sims_data_left_delete AFTER DELETE ON sims REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sim_data_left_apply();
--> statement-breakpoint
INSERT INTO sim_data_left (iccid, org_id, data_left) SELECT iccid, org_id, data_total - data_used FROM sims;
--> statement-breakpoint
-- Room on each page for the next version of a row, so the updates of every accounting batch
-- (session counters, daily usage, SIM volumes) stay heap-only and touch no index.
ALTER TABLE sims SET (fillfactor = 85);
--> statement-breakpoint
ALTER TABLE radius_sessions SET (fillfactor = 80);
--> statement-breakpoint
ALTER TABLE sim_usage_daily SET (fillfactor = 80);
--> statement-breakpoint
ALTER TABLE sim_data_left SET (fillfactor = 80);
