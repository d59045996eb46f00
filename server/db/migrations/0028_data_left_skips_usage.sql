-- sim_data_left_apply (0014) as before for INSERT and DELETE; an UPDATE now writes only the SIMs whose
-- organisation or data volume changed, or whose used data went down (a new volume, a move). Usage alone,
-- data_used growing with every accounting batch, is left to the refresh of modules/usage/data-left.ts,
-- which writes each SIM's sort key once per interval however many records it had (decision 022).
CREATE OR REPLACE FUNCTION sim_data_left_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO sim_data_left (iccid, org_id, data_left)
    SELECT iccid, org_id, data_total - data_used FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    DELETE FROM sim_data_left d USING old_rows o WHERE d.iccid = o.iccid;
  ELSE
    -- the changed SIMs first (MATERIALIZED): joined straight to sim_data_left, every row of the
    -- statement cost a primary-key probe, usage included
    WITH changed AS MATERIALIZED (
      SELECT n.iccid, n.org_id, n.data_total - n.data_used AS data_left
      FROM new_rows n JOIN old_rows o ON o.iccid = n.iccid
      WHERE o.org_id IS DISTINCT FROM n.org_id OR o.data_total <> n.data_total OR n.data_used < o.data_used
    )
    UPDATE sim_data_left d SET org_id = c.org_id, data_left = c.data_left
    FROM changed c
    WHERE d.iccid = c.iccid AND (d.org_id IS DISTINCT FROM c.org_id OR d.data_left <> c.data_left);
  END IF;
  RETURN NULL;
END $$;
