-- One ALTER: the three checks are validated in a single scan of the table.
ALTER TABLE "sims"
  ADD CONSTRAINT "sims_imsi_digits" CHECK ("sims"."imsi" ~ '^[0-9]+$'),
  ADD CONSTRAINT "sims_msisdn_digits" CHECK ("sims"."msisdn" ~ '^[0-9]+$'),
  ADD CONSTRAINT "sims_imei_digits" CHECK ("sims"."imei" ~ '^[0-9]+$');
