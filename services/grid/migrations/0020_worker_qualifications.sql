-- What careers' qualification feed said of each worker (whether they may
-- work alone), how far grid has read it (one row, advanced in the
-- transaction that applies what was read), and the worker each case is
-- assigned to.
CREATE TABLE worker_qualifications (
  worker_id VARCHAR(40) NOT NULL,
  community_path VARCHAR(200) NOT NULL,
  qualified_alone BOOLEAN NOT NULL,
  sequence BIGINT NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (worker_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE careers_feed_cursor (
  id TINYINT NOT NULL,
  last_sequence BIGINT NOT NULL,
  update_time DATETIME(6) NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO careers_feed_cursor (id, last_sequence) VALUES (1, 0);

CREATE TABLE case_assignments (
  case_id VARCHAR(40) NOT NULL,
  worker_id VARCHAR(40) NOT NULL,
  grid_path VARCHAR(512) NOT NULL,
  actor VARCHAR(128) NOT NULL,
  assign_time DATETIME(6) NOT NULL,
  PRIMARY KEY (case_id),
  KEY k_case_assignments_worker (worker_id, case_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
