-- Consultations (协商议事) of a community party organisation. `state` is
-- OPEN until closed early (CLOSED); closing by the clock follows from
-- close_time when read. Options and, for REPRESENTATIVES, the households
-- that may take part are rows of their own.
CREATE TABLE consultations (
  id VARCHAR(40) NOT NULL,
  organisation_id VARCHAR(40) NOT NULL,
  area_path VARCHAR(512) NOT NULL,
  audience TINYINT NOT NULL,
  question VARCHAR(1000) NOT NULL,
  matter_id VARCHAR(40) NOT NULL DEFAULT '',
  close_time DATETIME(6) NOT NULL,
  state TINYINT NOT NULL,
  closed_time DATETIME(6) NULL,
  closed_by VARCHAR(200) NOT NULL DEFAULT '',
  opened_by VARCHAR(200) NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_consultations_organisation (organisation_id, id),
  KEY k_consultations_area_path (area_path)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE consultation_options (
  consultation_id VARCHAR(40) NOT NULL,
  option_number INT NOT NULL,
  label VARCHAR(200) NOT NULL,
  PRIMARY KEY (consultation_id, option_number)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE consultation_representatives (
  consultation_id VARCHAR(40) NOT NULL,
  household_id VARCHAR(64) NOT NULL,
  PRIMARY KEY (consultation_id, household_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
