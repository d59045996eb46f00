ALTER TABLE "sms_messages" ADD COLUMN "source_address" text;--> statement-breakpoint
-- An MO's sender is its SIM's MSISDN (the SMSC found the SIM by it). Earlier MTs keep NULL: their
-- sender was SMPP_SOURCE_ADDR at the time, which the database never knew.
UPDATE "sms_messages" m SET "source_address" = s."msisdn" FROM "sims" s WHERE s."iccid" = m."iccid" AND m."direction" = 'MO';
