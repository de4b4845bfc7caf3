-- Reports to employers: the body is the report as made (a snapshot, so a
-- later change of the records does not rewrite what the employer received).
CREATE TABLE employer_reports (
  id VARCHAR(40) NOT NULL,
  unit_id VARCHAR(40) NOT NULL,
  organisation_id VARCHAR(40) NOT NULL,
  community_path VARCHAR(200) NOT NULL,
  period_start DATE NOT NULL,
  period_end DATE NOT NULL,
  body MEDIUMBLOB NOT NULL,
  state TINYINT NOT NULL,
  acknowledge_time DATETIME(6) NULL,
  acknowledged_by VARCHAR(128) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_employer_reports_period (organisation_id, period_start, period_end),
  KEY k_employer_reports_community (community_path, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
