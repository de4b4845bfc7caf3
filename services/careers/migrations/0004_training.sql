CREATE TABLE courses (
  id VARCHAR(40) NOT NULL,
  region_path VARCHAR(200) NOT NULL,
  title VARCHAR(200) NOT NULL,
  kind TINYINT NOT NULL,
  year INT NOT NULL,
  hours INT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_courses_region (region_path, year)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One result per worker and course; year copied from the course for the coverage report.
CREATE TABLE training_results (
  worker_id VARCHAR(40) NOT NULL,
  course_id VARCHAR(40) NOT NULL,
  course_kind TINYINT NOT NULL,
  year INT NOT NULL,
  hours_attended INT NOT NULL,
  passed BOOLEAN NOT NULL,
  score INT NOT NULL,
  completion_date DATE NOT NULL,
  actor VARCHAR(128) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (worker_id, course_id),
  KEY k_training_results_year (year, worker_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The qualification feed grid follows. Numbers come from the head row,
-- incremented in the writing transaction: its row lock orders writers, so
-- a number is visible only after every smaller one (a reader never skips
-- one that commits late, as it could with AUTO_INCREMENT).
CREATE TABLE qualification_feed_head (
  id TINYINT NOT NULL,
  last_sequence BIGINT NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO qualification_feed_head (id, last_sequence) VALUES (1, 0);

CREATE TABLE qualification_changes (
  sequence BIGINT NOT NULL,
  worker_id VARCHAR(40) NOT NULL,
  community_path VARCHAR(200) NOT NULL,
  qualified_alone BOOLEAN NOT NULL,
  change_time DATETIME(6) NOT NULL,
  PRIMARY KEY (sequence)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
