CREATE INDEX "sims_org_label_desc_idx" ON "sims" USING btree ("org_id","label_key" DESC NULLS LAST,"iccid" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "sims_org_imei_desc_idx" ON "sims" USING btree ("org_id","imei" DESC NULLS LAST,"iccid" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "sims_org_ip_desc_idx" ON "sims" USING btree ("org_id","ip_address" DESC NULLS LAST,"iccid" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "sims_org_eol_desc_idx" ON "sims" USING btree ("org_id","end_of_life" DESC NULLS LAST,"iccid" DESC NULLS FIRST);