-- Grid staff assignments for a period [start_date, end_date) (end NULL:
-- open). The person is a reference into the system that keeps their record;
-- only the masked name is kept. "One grid leader at a time" is checked by
-- the store under a lock on the grid's row.
CREATE TABLE staff_assignments (
  id VARCHAR(40) NOT NULL,
  grid_id VARCHAR(40) NOT NULL,
  grid_path VARCHAR(512) NOT NULL,
  role TINYINT NOT NULL,
  person_ref VARCHAR(64) NOT NULL,
  person_name_masked VARCHAR(200) NOT NULL,
  building_id VARCHAR(40) NOT NULL,
  start_date DATE NOT NULL,
  end_date DATE NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_staff_assignments_grid (grid_id, id),
  KEY k_staff_assignments_grid_role (grid_id, role, start_date),
  KEY k_staff_assignments_person (grid_id, person_ref),
  KEY k_staff_assignments_grid_path (grid_path)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
