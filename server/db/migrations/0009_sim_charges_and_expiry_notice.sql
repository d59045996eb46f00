CREATE TABLE "sim_charges" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"iccid" text NOT NULL,
	"kind" text NOT NULL,
	"data_bytes" bigint DEFAULT 0 NOT NULL,
	"sms_count" integer DEFAULT 0 NOT NULL,
	"months" integer DEFAULT 0 NOT NULL,
	"source" text NOT NULL,
	"actor_id" uuid,
	"actor_name" text,
	"created_at" timestamp with time zone NOT NULL,
	"invoiced_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "sims" ADD COLUMN "expiry_notice" smallint;--> statement-breakpoint
CREATE INDEX "sim_charges_org_idx" ON "sim_charges" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "sim_charges_sim_idx" ON "sim_charges" USING btree ("iccid");