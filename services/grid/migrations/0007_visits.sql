-- Visits (入户走访) and daily contacts (日常联系) by grid staff. The subject
-- is a household (subject_kind 1) or a key person (2) of the grid; key_subject
-- records whether it was flagged for visits then. Findings are the worker's
-- words about the situation, not contact details. Append-only.
CREATE TABLE visits (
  id VARCHAR(40) NOT NULL,
  grid_id VARCHAR(40) NOT NULL,
  grid_path VARCHAR(512) NOT NULL,
  subject_kind TINYINT NOT NULL,
  subject_id VARCHAR(40) NOT NULL,
  key_subject TINYINT NOT NULL,
  worker_ref VARCHAR(64) NOT NULL,
  worker_name_masked VARCHAR(200) NOT NULL,
  kind TINYINT NOT NULL,
  visit_time DATETIME(6) NOT NULL,
  findings VARCHAR(2000) NOT NULL,
  follow_up_needed TINYINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_visits_grid (grid_id, visit_time, id),
  KEY k_visits_subject (subject_id, visit_time, id),
  KEY k_visits_worker (worker_ref, visit_time, id),
  KEY k_visits_grid_path (grid_path)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The latest door visit and the latest contact of any kind of each visited
-- household or key person, kept in the transaction that logs a visit, so the
-- overdue report joins one row per key record instead of reading visits.
CREATE TABLE last_visits (
  subject_id VARCHAR(40) NOT NULL,
  last_visit_id VARCHAR(40) NULL,
  last_visit_time DATETIME(6) NULL,
  last_worker_ref VARCHAR(64) NULL,
  last_contact_time DATETIME(6) NOT NULL,
  PRIMARY KEY (subject_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Each worker's visits per grid and UTC day, kept with every visit, so a
-- period's counts add up days instead of counting visits.
CREATE TABLE visit_worker_days (
  grid_id VARCHAR(40) NOT NULL,
  worker_ref VARCHAR(64) NOT NULL,
  day DATE NOT NULL,
  grid_path VARCHAR(512) NOT NULL,
  worker_name_masked VARCHAR(200) NOT NULL,
  visits INT NOT NULL,
  door_visits INT NOT NULL,
  key_visits INT NOT NULL,
  follow_ups INT NOT NULL,
  PRIMARY KEY (grid_id, worker_ref, day),
  KEY k_visit_worker_days_path (grid_path, day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The overdue report reads a grid's (or an area's) key households only.
ALTER TABLE households
  ADD KEY k_households_key_grid (key_household, grid_id),
  ADD KEY k_households_key_path (key_household, grid_path);
