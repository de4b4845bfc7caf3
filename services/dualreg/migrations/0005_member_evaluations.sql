-- The community's yearly evaluation of each registered member: one per
-- registration and year. body is the evaluation as made (with the year's
-- service as it stood then); employer_organisation_id and community_path
-- are the registration's when it was made (reports find it by employer,
-- lists by path).
CREATE TABLE member_evaluations (
  id VARCHAR(40) NOT NULL,
  registration_id VARCHAR(40) NOT NULL,
  employer_organisation_id VARCHAR(40) NOT NULL,
  community_path VARCHAR(200) NOT NULL,
  year SMALLINT NOT NULL,
  grade TINYINT NOT NULL,
  body BLOB NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_member_evaluations_year (registration_id, year),
  KEY k_member_evaluations_path (year, community_path, registration_id),
  KEY k_member_evaluations_employer (employer_organisation_id, year)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
