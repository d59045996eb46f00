-- Half of each page of radius_sessions left free (decision 013). A NAS reports every session on the
-- session's own timer, so Interim-Updates arrive in the order the sessions started, which is the order
-- their rows were inserted: one accounting batch rewrites whole pages. At fillfactor 80 only a fifth
-- of a page's sessions found room for their new version beside the old one; the rest moved to other
-- pages and added an entry to each of the table's three indexes. At 50 every session of a page fits.
ALTER TABLE radius_sessions SET (fillfactor = 50);
