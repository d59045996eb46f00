CREATE TABLE "sim_usage_hourly" (
	"iccid" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"org_id" uuid NOT NULL,
	"data_up" bigint DEFAULT 0 NOT NULL,
	"data_down" bigint DEFAULT 0 NOT NULL,
	"sms_mo" integer DEFAULT 0 NOT NULL,
	"sms_mt" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "sim_usage_hourly_iccid_hour_pk" PRIMARY KEY("iccid","hour")
);
--> statement-breakpoint
CREATE INDEX "sim_usage_hourly_hour_idx" ON "sim_usage_hourly" USING btree ("hour");--> statement-breakpoint
-- rows of the current hour are updated by every accounting batch: room for heap-only versions (decision 013)
ALTER TABLE "sim_usage_hourly" SET (fillfactor = 80);
