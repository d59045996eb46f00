-- An organisation's day over up to eight rows (decision 009): concurrent accounting batches no longer queue on one row lock.
ALTER TABLE "org_usage_daily" ADD COLUMN "stripe" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "org_usage_daily" DROP CONSTRAINT "org_usage_daily_org_id_day_pk";--> statement-breakpoint
ALTER TABLE "org_usage_daily" ADD CONSTRAINT "org_usage_daily_org_id_day_stripe_pk" PRIMARY KEY("org_id","day","stripe");
