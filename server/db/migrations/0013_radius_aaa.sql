CREATE TABLE "disconnect_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"nas_address" text NOT NULL,
	"session_id" text NOT NULL,
	"iccid" text NOT NULL,
	"org_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"error_cause" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claimed_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "nas_clients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"secret" text NOT NULL,
	"dae_port" integer DEFAULT 3799 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "radius_counters" (
	"instance" text PRIMARY KEY NOT NULL,
	"counters" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "radius_sessions" (
	"nas_address" text NOT NULL,
	"session_id" text NOT NULL,
	"iccid" text NOT NULL,
	"org_id" uuid NOT NULL,
	"user_name" text,
	"calling_station_id" text,
	"framed_ip" text,
	"input_octets" bigint DEFAULT 0 NOT NULL,
	"output_octets" bigint DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"stopped_at" timestamp with time zone,
	"stop_cause" text,
	"reset_requested_at" timestamp with time zone,
	CONSTRAINT "radius_sessions_nas_address_session_id_pk" PRIMARY KEY("nas_address","session_id")
);
--> statement-breakpoint
CREATE INDEX "disconnect_requests_pending_idx" ON "disconnect_requests" USING btree ("id") WHERE state = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "nas_clients_name_idx" ON "nas_clients" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "nas_clients_address_idx" ON "nas_clients" USING btree ("address");--> statement-breakpoint
CREATE INDEX "radius_sessions_open_sim_idx" ON "radius_sessions" USING btree ("iccid") WHERE stopped_at IS NULL;--> statement-breakpoint
CREATE INDEX "radius_sessions_open_nas_idx" ON "radius_sessions" USING btree ("nas_address") WHERE stopped_at IS NULL;