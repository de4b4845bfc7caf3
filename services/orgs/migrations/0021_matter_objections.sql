-- Objections of households to a matter's publication. The answer is due by
-- answer_due_time, fixed when filed (the option in force then); the overdue
-- listing walks k_matter_objections_open.
CREATE TABLE matter_objections (
  id VARCHAR(40) NOT NULL,
  matter_id VARCHAR(40) NOT NULL,
  publication TINYINT NOT NULL,
  household_id VARCHAR(64) NOT NULL,
  text VARCHAR(2000) NOT NULL,
  area_path VARCHAR(512) NOT NULL,
  state TINYINT NOT NULL,
  file_time DATETIME(6) NOT NULL,
  answer_due_time DATETIME(6) NOT NULL,
  answer VARCHAR(2000) NOT NULL DEFAULT '',
  answered_by VARCHAR(200) NOT NULL DEFAULT '',
  answer_time DATETIME(6) NULL,
  filed_by VARCHAR(200) NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY k_matter_objections_matter (matter_id, id),
  KEY k_matter_objections_open (state, answer_due_time, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
