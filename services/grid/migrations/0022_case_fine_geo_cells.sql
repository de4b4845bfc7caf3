-- The duplicate search's cells shrink from 1/100 to 1/1000 degree (about
-- 110 m; GeoCell in duplicate_rules.cc, the same formula). Where reports are
-- dense (a market street, a day's worth within the window), a 1 km cell
-- held a hundred open cases and each report's search read them all to find
-- the few within its radius; a 110 m cell holds the few. Radii up to about
-- 350 m still search by cells. The number no longer fits in an INT. Two
-- statements, each safe to run again if the first ran and the process died.
ALTER TABLE cases
  DROP KEY IF EXISTS k_cases_geo,
  DROP COLUMN IF EXISTS geo_cell;
ALTER TABLE cases
  ADD COLUMN IF NOT EXISTS geo_cell BIGINT AS
    (FLOOR((latitude + 90) * 1000) * 360001 + FLOOR((longitude + 180) * 1000)) STORED,
  ADD KEY IF NOT EXISTS k_cases_geo (category_code, geo_cell, create_time);
