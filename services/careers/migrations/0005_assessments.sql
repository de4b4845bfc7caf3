-- Annual assessments, one per worker and year; the weights per region.
CREATE TABLE assessments (
  worker_id VARCHAR(40) NOT NULL,
  year INT NOT NULL,
  self_review_score INT NOT NULL,
  field_visit_score INT NOT NULL,
  survey_score INT NOT NULL,
  cases_handled INT NOT NULL,
  on_time_permille INT NOT NULL,
  case_satisfaction_permille INT NOT NULL,
  weighted_score_tenths INT NOT NULL,
  result TINYINT NOT NULL,
  actor VARCHAR(128) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (worker_id, year)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE assessment_weights (
  region_path VARCHAR(200) NOT NULL,
  self_review INT NOT NULL,
  field_visit INT NOT NULL,
  survey INT NOT NULL,
  case_performance INT NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (region_path)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
