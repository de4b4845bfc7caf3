-- What cases run on: categories (each with its handling department, step
-- deadlines, extra fields and duplicate rule, kept whole as the
-- CaseCategory message: read whole, never queried by part), the
-- departments cases are dispatched to, and regions' working calendars
-- (area_path '' is the city default).
CREATE TABLE case_categories (
  code VARCHAR(32) NOT NULL,
  kind TINYINT NOT NULL,
  definition BLOB NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE departments (
  id VARCHAR(40) NOT NULL,
  code VARCHAR(32) NOT NULL,
  name VARCHAR(200) NOT NULL,
  area_path VARCHAR(512) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_departments_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE work_calendars (
  area_path VARCHAR(512) NOT NULL,
  definition BLOB NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (area_path)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
