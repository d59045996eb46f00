-- Room for the next version of a row beside the old one, so that accounting's updates stay heap-only
-- (decision 013, amended). A SIM's first usage of an hour (or day) inserts its usage rows; its next
-- Interim, one interval later, updates them. Interims arrive in the order of the sessions, so the
-- rows one batch inserted side by side are updated by one later batch together: at fillfactor 80 a
-- page had room for a fifth of their new versions (41 % of the radius bench's updates stayed, with
-- what pruning freed), and the others moved to new pages with a new entry in every index. At 50 every
-- row of a page fits, as for radius_sessions (migration 0018).
ALTER TABLE "sim_usage_hourly" SET (fillfactor = 50);--> statement-breakpoint
ALTER TABLE "sim_usage_daily" SET (fillfactor = 50);--> statement-breakpoint
-- sims rows are wide and not updated a page at a time as strictly: at 85 % 9 % of the radius bench's
-- updates still moved, each adding an entry to all 24 indexes of the table; at 70 %, 1.3 %.
ALTER TABLE "sims" SET (fillfactor = 70);
