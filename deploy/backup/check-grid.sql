-- Consistency of a restored grid schema (grid has no invariant RPC): each
-- row is a violation, rule and record; no output means every compound,
-- building, unit, household, key person and case hangs off records that
-- exist (a building outside a compound and a key person outside a
-- household have '' there), with the grid path copied in matching its grid's.
-- Run: mariadb grassroots_grid < deploy/backup/check-grid.sql
SELECT 'COMPOUND_GRID_MISSING' AS rule, c.id AS subject
  FROM compounds c LEFT JOIN grids g ON g.id = c.grid_id
  WHERE g.id IS NULL OR c.grid_path <> g.path
UNION ALL
SELECT 'BUILDING_COMPOUND_MISSING', b.id
  FROM buildings b LEFT JOIN compounds c ON c.id = b.compound_id
  WHERE b.compound_id <> '' AND (c.id IS NULL OR c.grid_id <> b.grid_id)
UNION ALL
SELECT 'UNIT_BUILDING_MISSING', u.id
  FROM units u LEFT JOIN buildings b ON b.id = u.building_id
  WHERE b.id IS NULL OR b.grid_id <> u.grid_id
UNION ALL
SELECT 'HOUSEHOLD_UNIT_MISSING', h.id
  FROM households h LEFT JOIN units u ON u.id = h.unit_id
  WHERE u.id IS NULL OR u.building_id <> h.building_id OR u.grid_id <> h.grid_id
UNION ALL
SELECT 'HOUSEHOLD_GRID_PATH_STALE', h.id
  FROM households h LEFT JOIN grids g ON g.id = h.grid_id
  WHERE g.id IS NULL OR h.grid_path <> g.path
UNION ALL
SELECT 'KEY_PERSON_HOUSEHOLD_MISSING', k.id
  FROM key_persons k LEFT JOIN households h ON h.id = k.household_id
  WHERE k.household_id <> '' AND h.id IS NULL
UNION ALL
SELECT 'CASE_GRID_MISSING', cs.id
  FROM cases cs LEFT JOIN grids g ON g.id = cs.grid_id
  WHERE g.id IS NULL
UNION ALL
SELECT 'CASE_STEP_CASE_MISSING', st.case_id
  FROM case_steps st LEFT JOIN cases cs ON cs.id = st.case_id
  WHERE cs.id IS NULL
UNION ALL
SELECT 'WHISTLE_CASE_MISSING', w.id
  FROM whistles w LEFT JOIN cases cs ON cs.id = w.case_id
  WHERE cs.id IS NULL;
