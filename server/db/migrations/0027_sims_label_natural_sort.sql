-- Sort by label in natural order ("Pump 2" before "Pump 10"), the same on PostgreSQL and PGlite:
-- label_key is the label in lower case with every run of up to 20 digits padded to 20, compared byte
-- by byte (COLLATE "C"; PGlite has no ICU for a numeric collation). A trigger writes it when a
-- statement writes the label, so the accounting's updates, which never do, neither run it nor lose
-- their heap-only updates.
CREATE FUNCTION natural_sort_key(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT string_agg(CASE WHEN m[1] ~ '^[0-9]' AND length(m[1]) <= 20 THEN lpad(m[1], 20, '0') ELSE m[1] END,
    '' ORDER BY r.ord)
  FROM regexp_matches(lower(t), '[0-9]+|[^0-9]+', 'g') WITH ORDINALITY AS r(m, ord)
$$;
--> statement-breakpoint
CREATE FUNCTION sims_label_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.label_key := natural_sort_key(NEW.label);
  RETURN NEW;
END $$;
--> statement-breakpoint
DROP INDEX "sims_org_label_idx";--> statement-breakpoint
ALTER TABLE "sims" ADD COLUMN "label_key" text COLLATE "C";--> statement-breakpoint
UPDATE "sims" SET "label_key" = natural_sort_key("label") WHERE "label" IS NOT NULL;--> statement-breakpoint
CREATE TRIGGER sims_label_key BEFORE INSERT OR UPDATE OF label ON sims
  FOR EACH ROW EXECUTE FUNCTION sims_label_key();--> statement-breakpoint
CREATE INDEX "sims_org_label_idx" ON "sims" USING btree ("org_id","label_key","iccid");
