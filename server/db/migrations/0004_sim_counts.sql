CREATE TABLE "sim_counts" (
	"org_id" uuid NOT NULL,
	"status" text NOT NULL,
	"session_state" text NOT NULL,
	"data_group" text NOT NULL,
	"sms_group" text NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "sim_counts_org_id_status_session_state_data_group_sms_group_pk" PRIMARY KEY("org_id","status","session_state","data_group","sms_group")
);
