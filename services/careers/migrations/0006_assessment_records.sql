-- The assessments as AssessmentService records them: with the community
-- the worker served, the raw case counts from grid and the weights applied,
-- so a result can be explained later; weights are per region and effective
-- from a year. 0005's tables were never written (no service recorded an
-- assessment before this), so they are replaced rather than altered.
DROP TABLE assessments;
DROP TABLE assessment_weights;

CREATE TABLE assessments (
  worker_id VARCHAR(40) NOT NULL,
  year INT NOT NULL,
  community_path VARCHAR(200) NOT NULL,
  self_review_score INT NOT NULL,
  field_visit_score INT NOT NULL,
  survey_score INT NOT NULL,
  cases_handled INT NOT NULL,
  cases_on_time INT NOT NULL,
  cases_evaluated INT NOT NULL,
  satisfaction_sum INT NOT NULL,
  weights_region_path VARCHAR(200) NOT NULL,
  weights_year INT NOT NULL,
  weight_self_review INT NOT NULL,
  weight_field_visit INT NOT NULL,
  weight_survey INT NOT NULL,
  weight_case_performance INT NOT NULL,
  weighted_score_tenths INT NOT NULL,
  result TINYINT NOT NULL,
  actor VARCHAR(128) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (worker_id, year),
  -- A year's assessments under a path, in worker id order.
  KEY k_assessments_year_path (year, community_path, worker_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE assessment_weights (
  region_path VARCHAR(200) NOT NULL,
  effective_year INT NOT NULL,
  self_review INT NOT NULL,
  field_visit INT NOT NULL,
  survey INT NOT NULL,
  case_performance INT NOT NULL,
  actor VARCHAR(128) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (region_path, effective_year)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
