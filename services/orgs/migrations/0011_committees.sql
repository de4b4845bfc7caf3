-- Committee seats of party organisations (secretary, deputy secretary,
-- committee member): held from start_date up to the day before end_date
-- (NULL: still held). Ended seats stay, so the committee of any past day can
-- be read. area_path is the organisation's place, for scope conditions.
CREATE TABLE committee_seats (
  id VARCHAR(40) NOT NULL,
  organisation_id VARCHAR(40) NOT NULL,
  area_path VARCHAR(512) NOT NULL,
  member_id VARCHAR(40) NOT NULL,
  role TINYINT NOT NULL,
  start_date DATE NOT NULL,
  end_date DATE NULL,
  end_reason TINYINT NOT NULL DEFAULT 0,
  appointed_by VARCHAR(200) NOT NULL,
  ended_by VARCHAR(200) NOT NULL DEFAULT '',
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_committee_seats_organisation (organisation_id, start_date, id),
  KEY k_committee_seats_member (member_id),
  KEY k_committee_seats_area_path (area_path)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Terms of community organisations' committees: five years from the
-- election (end_date is the day the term is over), or until the next term
-- began if that was sooner.
CREATE TABLE committee_terms (
  id VARCHAR(40) NOT NULL,
  organisation_id VARCHAR(40) NOT NULL,
  area_path VARCHAR(512) NOT NULL,
  start_date DATE NOT NULL,
  end_date DATE NOT NULL,
  started_by VARCHAR(200) NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_committee_terms_start (organisation_id, start_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One row per organisation whose committee has ever changed: every change
-- to seats or terms takes this row's lock first, so two appointments to the
-- same committee cannot both pass the one-secretary check.
CREATE TABLE committee_locks (
  organisation_id VARCHAR(40) NOT NULL,
  changes BIGINT NOT NULL,
  PRIMARY KEY (organisation_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
