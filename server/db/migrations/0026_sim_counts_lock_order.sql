-- sim_counts_apply (0005) as before, but each statement upserts its rows in key order. Transactions
-- that change SIMs concurrently (two chunks of a bulk job, an accounting batch) then lock the counter
-- rows they share in the same order and wait for each other instead of deadlocking.
CREATE OR REPLACE FUNCTION sim_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO sim_counts AS c (org_id, status, session_state, data_group, sms_group, n)
    SELECT org_id, status, session_state, data_group, sms_group, count(*)
    FROM new_rows WHERE org_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (org_id, status, session_state, data_group, sms_group) DO UPDATE SET n = c.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO sim_counts AS c (org_id, status, session_state, data_group, sms_group, n)
    SELECT org_id, status, session_state, data_group, sms_group, -count(*)
    FROM old_rows WHERE org_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (org_id, status, session_state, data_group, sms_group) DO UPDATE SET n = c.n + excluded.n;
  ELSE
    INSERT INTO sim_counts AS c (org_id, status, session_state, data_group, sms_group, n)
    SELECT org_id, status, session_state, data_group, sms_group, sum(d)
    FROM (
      SELECT org_id, status, session_state, data_group, sms_group, 1 AS d FROM new_rows
      UNION ALL
      SELECT org_id, status, session_state, data_group, sms_group, -1 AS d FROM old_rows
    ) x
    WHERE org_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (org_id, status, session_state, data_group, sms_group) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END $$;
