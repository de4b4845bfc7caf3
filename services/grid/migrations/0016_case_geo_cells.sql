-- The duplicate search reads the cases of a category in the few index cells
-- around a report (GeoCell in duplicate_rules.cc, the same formula), not
-- every recent case of the category: the category and time index alone made
-- each report scan the whole day's cases of its category in the city.
ALTER TABLE cases
  ADD COLUMN geo_cell INT AS
    (FLOOR((latitude + 90) * 100) * 36001 + FLOOR((longitude + 180) * 100)) STORED,
  ADD KEY k_cases_geo (category_code, geo_cell, create_time),
  DROP KEY k_cases_duplicates;
