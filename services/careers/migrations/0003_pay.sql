-- Pay policy (grade count, step years, the grade range of each post) per region.
CREATE TABLE pay_policies (
  region_path VARCHAR(200) NOT NULL,
  grade_count INT NOT NULL,
  step_years INT NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (region_path)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE grade_ranges (
  region_path VARCHAR(200) NOT NULL,
  post TINYINT NOT NULL,
  lowest INT NOT NULL,
  highest INT NOT NULL,
  PRIMARY KEY (region_path, post)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A region's average wage of a year, effective-dated: the record in force
-- on a day is the latest one effective by then.
CREATE TABLE average_wages (
  region_path VARCHAR(200) NOT NULL,
  year INT NOT NULL,
  effective_date DATE NOT NULL,
  monthly_fen BIGINT NOT NULL,
  actor VARCHAR(128) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (region_path, year, effective_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE pay_tables (
  region_path VARCHAR(200) NOT NULL,
  year INT NOT NULL,
  floor_fen BIGINT NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (region_path, year)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE pay_cells (
  region_path VARCHAR(200) NOT NULL,
  year INT NOT NULL,
  post TINYINT NOT NULL,
  grade INT NOT NULL,
  monthly_fen BIGINT NOT NULL,
  PRIMARY KEY (region_path, year, post, grade)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE salary_revisions (
  id VARCHAR(40) NOT NULL,
  worker_id VARCHAR(40) NOT NULL,
  monthly_fen BIGINT NOT NULL,
  reason VARCHAR(500) NOT NULL,
  effective_date DATE NOT NULL,
  actor VARCHAR(128) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_salary_revisions_worker (worker_id, effective_date, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
