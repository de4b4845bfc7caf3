-- Cases and their timelines. A case row carries what every listing,
-- figure and the sweeper need as columns; photos and extra fields, read
-- only with the whole case, are the `details` message (a Case holding just
-- those). Times are UTC.
--   step_due_time: when the step the case waits for is due (NULL: none);
--   escalation_due_time: when the sweeper next looks at it (NULL: never),
--     the one column the sweeper's index reads;
--   suspended_remaining_seconds: the allowance left when suspended.
CREATE TABLE cases (
  id VARCHAR(40) NOT NULL,
  kind TINYINT NOT NULL,
  source TINYINT NOT NULL,
  category_code VARCHAR(32) NOT NULL,
  grid_id VARCHAR(40) NOT NULL,
  grid_path VARCHAR(512) NOT NULL,
  latitude DOUBLE NOT NULL,
  longitude DOUBLE NOT NULL,
  address VARCHAR(300) NOT NULL,
  description TEXT NOT NULL,
  reporter_ref VARCHAR(128) NOT NULL,
  details BLOB NOT NULL,
  state TINYINT NOT NULL,
  suspended_from TINYINT NOT NULL,
  level TINYINT NOT NULL,
  urgent BOOLEAN NOT NULL,
  department_id VARCHAR(40) NOT NULL,
  step_due_time DATETIME(6) NULL,
  escalation_due_time DATETIME(6) NULL,
  suspended_remaining_seconds BIGINT NOT NULL,
  overdue BOOLEAN NOT NULL,
  rework_count INT NOT NULL,
  extension_count INT NOT NULL,
  extension_minutes INT NOT NULL,
  pending_extension_minutes INT NOT NULL,
  resolution TINYINT NOT NULL,
  satisfaction TINYINT NOT NULL,
  duplicate_reports INT NOT NULL,
  step_count INT NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  close_time DATETIME(6) NULL,
  PRIMARY KEY (id),
  KEY k_cases_grid (grid_id, id),
  KEY k_cases_path (grid_path, id),
  KEY k_cases_department (department_id, id),
  KEY k_cases_escalation (escalation_due_time),
  KEY k_cases_duplicates (category_code, create_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE case_steps (
  case_id VARCHAR(40) NOT NULL,
  number INT NOT NULL,
  action VARCHAR(32) NOT NULL,
  from_state TINYINT NOT NULL,
  to_state TINYINT NOT NULL,
  actor VARCHAR(128) NOT NULL,
  time DATETIME(6) NOT NULL,
  note TEXT NOT NULL,
  detail VARCHAR(255) NOT NULL,
  PRIMARY KEY (case_id, number)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Reports linked to an open case instead of opening a second (the reporter
-- is subscribed to the first case and told so).
CREATE TABLE case_duplicate_reports (
  id VARCHAR(40) NOT NULL,
  case_id VARCHAR(40) NOT NULL,
  source TINYINT NOT NULL,
  reporter_ref VARCHAR(128) NOT NULL,
  latitude DOUBLE NOT NULL,
  longitude DOUBLE NOT NULL,
  description TEXT NOT NULL,
  -- actor and request id of the report, so a replay is told it was a duplicate.
  request_key VARCHAR(300) NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_case_duplicate_reports_request (request_key),
  KEY k_case_duplicate_reports_case (case_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
