CREATE TABLE "limit_notices" (
	"org_id" uuid NOT NULL,
	"month" text NOT NULL,
	"kind" text NOT NULL,
	"reached_at" timestamp with time zone NOT NULL,
	CONSTRAINT "limit_notices_org_id_month_kind_pk" PRIMARY KEY("org_id","month","kind")
);
--> statement-breakpoint
CREATE TABLE "org_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"data_limit_bytes" bigint,
	"sms_mo_limit" integer,
	"sms_mt_limit" integer,
	"sim_data_limit_bytes" bigint,
	"imei_lock_default" boolean DEFAULT false NOT NULL,
	"auto_top_up_default" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "org_settings" ADD CONSTRAINT "org_settings_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;