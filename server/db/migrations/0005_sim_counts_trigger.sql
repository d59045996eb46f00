-- Keep sim_counts in step with sims: one statement-level trigger per event, sharing one function
-- that adds the net change per (organisation, status, session, data group, SMS group).
CREATE FUNCTION sim_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO sim_counts AS c (org_id, status, session_state, data_group, sms_group, n)
    SELECT org_id, status, session_state, data_group, sms_group, count(*)
    FROM new_rows WHERE org_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (org_id, status, session_state, data_group, sms_group) DO UPDATE SET n = c.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO sim_counts AS c (org_id, status, session_state, data_group, sms_group, n)
    SELECT org_id, status, session_state, data_group, sms_group, -count(*)
    FROM old_rows WHERE org_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (org_id, status, session_state, data_group, sms_group) DO UPDATE SET n = c.n + excluded.n;
  ELSE
    INSERT INTO sim_counts AS c (org_id, status, session_state, data_group, sms_group, n)
    SELECT org_id, status, session_state, data_group, sms_group, sum(d)
    FROM (
      SELECT org_id, status, session_state, data_group, sms_group, 1 AS d FROM new_rows
      UNION ALL
      SELECT org_id, status, session_state, data_group, sms_group, -1 AS d FROM old_rows
    ) x
    WHERE org_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5 HAVING sum(d) <> 0
    ON CONFLICT (org_id, status, session_state, data_group, sms_group) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER sims_counts_insert AFTER INSERT ON sims REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sim_counts_apply();
--> statement-breakpoint
CREATE TRIGGER sims_counts_update AFTER UPDATE ON sims REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sim_counts_apply();
--> statement-breakpoint
CREATE TRIGGER sims_counts_delete AFTER DELETE ON sims REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sim_counts_apply();
--> statement-breakpoint
INSERT INTO sim_counts (org_id, status, session_state, data_group, sms_group, n)
SELECT org_id, status, session_state, data_group, sms_group, count(*)
FROM sims WHERE org_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
