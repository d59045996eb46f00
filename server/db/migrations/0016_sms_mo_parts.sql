CREATE TABLE "sms_mo_parts" (
	"smsc" text NOT NULL,
	"source" text NOT NULL,
	"ref" integer NOT NULL,
	"total" smallint NOT NULL,
	"seq" smallint NOT NULL,
	"state" text NOT NULL,
	"destination" text NOT NULL,
	"encoding" text NOT NULL,
	"text" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone,
	CONSTRAINT "sms_mo_parts_smsc_source_ref_total_seq_pk" PRIMARY KEY("smsc","source","ref","total","seq")
);
--> statement-breakpoint
CREATE INDEX "sms_mo_parts_received_idx" ON "sms_mo_parts" USING btree ("received_at");