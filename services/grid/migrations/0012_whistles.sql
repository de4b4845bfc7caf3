-- 街乡吹哨、部门报到: whistles a street blows on a case, and each named
-- department's call to report in. `late` is set when a department reports
-- after due_time or, by the sweeper, when due_time passes without it; the
-- sweeper's index reads open calls by due_time.
CREATE TABLE whistles (
  id VARCHAR(40) NOT NULL,
  case_id VARCHAR(40) NOT NULL,
  grid_path VARCHAR(512) NOT NULL,
  note TEXT NOT NULL,
  blown_by VARCHAR(128) NOT NULL,
  blow_time DATETIME(6) NOT NULL,
  due_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_whistles_case (case_id, id),
  KEY k_whistles_path (grid_path)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE whistle_calls (
  whistle_id VARCHAR(40) NOT NULL,
  department_id VARCHAR(40) NOT NULL,
  due_time DATETIME(6) NOT NULL,
  report_time DATETIME(6) NULL,
  note TEXT NOT NULL,
  late BOOLEAN NOT NULL,
  -- due_time while neither reported nor flagged late; NULL after.
  open_due_time DATETIME(6) NULL,
  PRIMARY KEY (whistle_id, department_id),
  KEY k_whistle_calls_open (open_due_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
