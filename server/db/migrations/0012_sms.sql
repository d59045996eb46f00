CREATE TABLE "sms_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"iccid" text NOT NULL,
	"direction" text NOT NULL,
	"peer" text NOT NULL,
	"text" text NOT NULL,
	"encoding" text NOT NULL,
	"segments" smallint NOT NULL,
	"status" text NOT NULL,
	"smsc_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"part_states" text[] DEFAULT '{}'::text[] NOT NULL,
	"ref" smallint DEFAULT 0 NOT NULL,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"lease_until" timestamp with time zone,
	"next_attempt_at" timestamp with time zone,
	"actor_id" uuid,
	"actor_name" text,
	"source" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"submitted_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	"hidden_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "smsc_settings" (
	"id" smallint PRIMARY KEY NOT NULL,
	"url" text,
	"updated_at" timestamp with time zone,
	"updated_by" text,
	"status" jsonb,
	"status_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "sms_messages" ADD CONSTRAINT "sms_messages_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sms_messages_sim_idx" ON "sms_messages" USING btree ("org_id","iccid","created_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "sms_messages_outbox_idx" ON "sms_messages" USING btree ("next_attempt_at","created_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "sms_messages_smsc_ids_idx" ON "sms_messages" USING gin ("smsc_ids");