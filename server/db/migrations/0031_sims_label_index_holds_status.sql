DROP INDEX "sims_org_label_idx";--> statement-breakpoint
DROP INDEX "sims_org_label_desc_idx";--> statement-breakpoint
CREATE INDEX "sims_org_label_idx" ON "sims" USING btree ("org_id","label_key","iccid","status");--> statement-breakpoint
CREATE INDEX "sims_org_label_desc_idx" ON "sims" USING btree ("org_id","label_key" DESC NULLS LAST,"iccid" DESC NULLS FIRST,"status");