CREATE TABLE "sim_label_keys" (
	"iccid" text PRIMARY KEY NOT NULL,
	"org_id" uuid,
	"status" text NOT NULL,
	"label_key" text COLLATE "C"
);
--> statement-breakpoint
CREATE INDEX "sim_label_keys_org_idx" ON "sim_label_keys" USING btree ("org_id","label_key","iccid","status");--> statement-breakpoint
CREATE INDEX "sim_label_keys_org_desc_idx" ON "sim_label_keys" USING btree ("org_id","label_key" DESC NULLS LAST,"iccid" DESC NULLS FIRST,"status");--> statement-breakpoint
-- Keep sim_label_keys in step with sims (decision 024). Inserts and deletes: statement-level, one
-- set-based statement however many SIMs (a stock import of 1,000,000). Updates: a row trigger on
-- these columns only, so the accounting's updates, which set none of them, never fire it.
CREATE FUNCTION sim_label_keys_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO sim_label_keys (iccid, org_id, status, label_key)
    SELECT iccid, org_id, status, label_key FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    DELETE FROM sim_label_keys k USING old_rows o WHERE k.iccid = o.iccid;
  ELSE
    UPDATE sim_label_keys SET org_id = NEW.org_id, status = NEW.status, label_key = NEW.label_key
    WHERE iccid = NEW.iccid;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER sims_label_keys_insert AFTER INSERT ON sims REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sim_label_keys_apply();
--> statement-breakpoint
CREATE TRIGGER sims_label_keys_delete AFTER DELETE ON sims REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sim_label_keys_apply();
--> statement-breakpoint
-- label_key is written by the BEFORE trigger sims_label_key whenever label is set (or by hand, as
-- migration 0027 filled it)
CREATE TRIGGER sims_label_keys_update AFTER UPDATE OF label, label_key, status, org_id ON sims FOR EACH ROW
  WHEN (OLD.label_key IS DISTINCT FROM NEW.label_key OR OLD.status IS DISTINCT FROM NEW.status
    OR OLD.org_id IS DISTINCT FROM NEW.org_id)
  EXECUTE FUNCTION sim_label_keys_apply();
--> statement-breakpoint
INSERT INTO sim_label_keys (iccid, org_id, status, label_key) SELECT iccid, org_id, status, label_key FROM sims;
--> statement-breakpoint
-- Vacuumed after 1 % of its rows changed (a bulk deactivation), not 20 %: an index-only walk reads
-- the table for every row of a page that vacuum has not marked visible since it last changed.
ALTER TABLE sim_label_keys SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01);
