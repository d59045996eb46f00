-- A bulk job's items are written once as 'pending' and updated once with their result. With room left
-- on each page the update stays on the page (a heap-only tuple: no new primary-key entry, no dead
-- one), which made recording a chunk's 1,000 results cheaper. New pages only; existing jobs are done.
ALTER TABLE "job_items" SET (fillfactor = 50);
