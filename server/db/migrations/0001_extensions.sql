-- Trigram indexes make partial search over ICCID, IMSI, MSISDN and label fast.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
