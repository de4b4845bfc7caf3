-- Resources units offer and needs communities publish, in shared
-- categories, and the matches accepted between them. A resource's
-- `remaining` only goes down through a conditional UPDATE
-- (remaining >= quantity); the CHECK constraints refuse a negative balance
-- or an over-fulfilled need even if some future code forgot the condition.
CREATE TABLE unit_resources (
  id VARCHAR(40) NOT NULL,
  unit_id VARCHAR(40) NOT NULL,
  area_path VARCHAR(512) NOT NULL,
  category TINYINT NOT NULL,
  description VARCHAR(1000) NOT NULL,
  capacity INT NOT NULL,
  remaining INT NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_unit_resources_category (category, area_path),
  KEY k_unit_resources_area_path (area_path),
  KEY k_unit_resources_unit (unit_id),
  CONSTRAINT ck_unit_resources_remaining CHECK (remaining >= 0 AND remaining <= capacity)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE community_needs (
  id VARCHAR(40) NOT NULL,
  area_id VARCHAR(40) NOT NULL,
  area_path VARCHAR(512) NOT NULL,
  category TINYINT NOT NULL,
  description VARCHAR(1000) NOT NULL,
  quantity INT NOT NULL,
  fulfilled INT NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_community_needs_area_path (area_path),
  CONSTRAINT ck_community_needs_fulfilled CHECK (fulfilled >= 0 AND fulfilled <= quantity)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- area_path is the need's place.
CREATE TABLE resource_matches (
  id VARCHAR(40) NOT NULL,
  need_id VARCHAR(40) NOT NULL,
  resource_id VARCHAR(40) NOT NULL,
  quantity INT NOT NULL,
  project_id VARCHAR(40) NOT NULL,
  area_path VARCHAR(512) NOT NULL,
  matched_by VARCHAR(200) NOT NULL,
  match_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_resource_matches_need (need_id),
  KEY k_resource_matches_resource (resource_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
