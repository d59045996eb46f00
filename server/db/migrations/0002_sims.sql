CREATE TABLE "job_items" (
	"job_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"iccid" text NOT NULL,
	"result" text DEFAULT 'pending' NOT NULL,
	"message" text,
	CONSTRAINT "job_items_job_id_seq_pk" PRIMARY KEY("job_id","seq")
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"processed" integer DEFAULT 0 NOT NULL,
	"succeeded" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"actor_id" uuid,
	"actor_name" text,
	"source" text DEFAULT 'user' NOT NULL,
	"error" text,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "ip_pools" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"cidr" "cidr" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sim_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"iccid" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"type" smallint NOT NULL,
	"severity" text NOT NULL,
	"source" text NOT NULL,
	"actor_id" uuid,
	"actor_name" text,
	"description" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sim_usage_daily" (
	"org_id" uuid NOT NULL,
	"iccid" text NOT NULL,
	"day" date NOT NULL,
	"data_up" bigint DEFAULT 0 NOT NULL,
	"data_down" bigint DEFAULT 0 NOT NULL,
	"sms_mo" integer DEFAULT 0 NOT NULL,
	"sms_mt" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "sim_usage_daily_iccid_day_pk" PRIMARY KEY("iccid","day")
);
--> statement-breakpoint
CREATE TABLE "sims" (
	"iccid" text PRIMARY KEY NOT NULL,
	"org_id" uuid,
	"imsi" text NOT NULL,
	"msisdn" text NOT NULL,
	"pin1" text,
	"puk1" text,
	"pin2" text,
	"puk2" text,
	"form_factor" text NOT NULL,
	"status" text DEFAULT 'stock' NOT NULL,
	"session_state" text DEFAULT 'offline' NOT NULL,
	"activated_at" timestamp with time zone,
	"end_of_life" timestamp with time zone,
	"data_total" bigint DEFAULT 0 NOT NULL,
	"data_used" bigint DEFAULT 0 NOT NULL,
	"sms_total" integer DEFAULT 0 NOT NULL,
	"sms_used" integer DEFAULT 0 NOT NULL,
	"data_group" text GENERATED ALWAYS AS (CASE WHEN data_total - data_used <= 0 THEN 'none' WHEN (data_total - data_used) * 5 <= data_total THEN 'low' ELSE 'sufficient' END) STORED,
	"sms_group" text GENERATED ALWAYS AS (CASE WHEN sms_total - sms_used <= 0 THEN 'none' WHEN (sms_total - sms_used) * 5 <= sms_total THEN 'low' ELSE 'sufficient' END) STORED,
	"imei" text,
	"imei_lock" boolean DEFAULT false NOT NULL,
	"locked_imei" text,
	"ip_address" "inet",
	"label" text,
	"auto_top_up" boolean DEFAULT false NOT NULL,
	"country" text,
	"operator_name" text,
	"mcc_mnc" text,
	"cell" text,
	"bearer" text,
	"last_seen_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"search_text" text GENERATED ALWAYS AS (iccid || ' ' || imsi || ' ' || msisdn || ' ' || lower(coalesce(label, ''))) STORED
);
--> statement-breakpoint
ALTER TABLE "job_items" ADD CONSTRAINT "job_items_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ip_pools" ADD CONSTRAINT "ip_pools_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sims" ADD CONSTRAINT "sims_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "jobs_org_idx" ON "jobs" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "jobs_queue_idx" ON "jobs" USING btree ("status","created_at") WHERE status in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "ip_pools_org_idx" ON "ip_pools" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "sim_events_sim_idx" ON "sim_events" USING btree ("org_id","iccid","occurred_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "sim_events_time_idx" ON "sim_events" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "sim_usage_daily_org_day_idx" ON "sim_usage_daily" USING btree ("org_id","day");--> statement-breakpoint
CREATE UNIQUE INDEX "sims_imsi_idx" ON "sims" USING btree ("imsi");--> statement-breakpoint
CREATE UNIQUE INDEX "sims_msisdn_idx" ON "sims" USING btree ("msisdn");--> statement-breakpoint
CREATE UNIQUE INDEX "sims_org_ip_idx" ON "sims" USING btree ("org_id","ip_address");--> statement-breakpoint
CREATE INDEX "sims_org_iccid_idx" ON "sims" USING btree ("org_id","iccid");--> statement-breakpoint
CREATE INDEX "sims_org_status_idx" ON "sims" USING btree ("org_id","status","iccid");--> statement-breakpoint
CREATE INDEX "sims_org_session_idx" ON "sims" USING btree ("org_id","session_state","iccid");--> statement-breakpoint
CREATE INDEX "sims_org_data_group_idx" ON "sims" USING btree ("org_id","data_group","iccid");--> statement-breakpoint
CREATE INDEX "sims_org_sms_group_idx" ON "sims" USING btree ("org_id","sms_group","iccid");--> statement-breakpoint
CREATE INDEX "sims_org_imsi_idx" ON "sims" USING btree ("org_id","imsi");--> statement-breakpoint
CREATE INDEX "sims_org_msisdn_idx" ON "sims" USING btree ("org_id","msisdn");--> statement-breakpoint
CREATE INDEX "sims_org_label_idx" ON "sims" USING btree ("org_id","label","iccid");--> statement-breakpoint
CREATE INDEX "sims_org_imei_idx" ON "sims" USING btree ("org_id","imei","iccid");--> statement-breakpoint
CREATE INDEX "sims_org_eol_idx" ON "sims" USING btree ("org_id","end_of_life","iccid");--> statement-breakpoint
CREATE INDEX "sims_org_data_left_idx" ON "sims" USING btree ("org_id",(data_total - data_used),"iccid");--> statement-breakpoint
CREATE INDEX "sims_org_sms_left_idx" ON "sims" USING btree ("org_id",(sms_total - sms_used),"iccid");--> statement-breakpoint
CREATE INDEX "sims_search_idx" ON "sims" USING gin (search_text gin_trgm_ops);