CREATE TABLE "org_usage_daily" (
	"org_id" uuid NOT NULL,
	"day" date NOT NULL,
	"data_up" bigint DEFAULT 0 NOT NULL,
	"data_down" bigint DEFAULT 0 NOT NULL,
	"sms_mo" integer DEFAULT 0 NOT NULL,
	"sms_mt" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "org_usage_daily_org_id_day_pk" PRIMARY KEY("org_id","day")
);
--> statement-breakpoint
-- the rollup starts complete: sum what per-SIM usage already holds
INSERT INTO "org_usage_daily" ("org_id", "day", "data_up", "data_down", "sms_mo", "sms_mt")
SELECT "org_id", "day", sum("data_up"), sum("data_down"), sum("sms_mo"), sum("sms_mt")
FROM "sim_usage_daily" GROUP BY "org_id", "day";
