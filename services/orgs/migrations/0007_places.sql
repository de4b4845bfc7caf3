-- Places the coverage rule is about (compounds with residents, workplaces
-- with employees), each in a community or street: `area_path` is the
-- jurisdiction path of its area, for scope, and follows area moves.
CREATE TABLE places (
  id VARCHAR(40) NOT NULL,
  kind TINYINT NOT NULL,
  display_name VARCHAR(200) NOT NULL,
  area_id VARCHAR(40) NOT NULL,
  area_path VARCHAR(512) NOT NULL,
  resident_count INT NOT NULL,
  employee_count INT NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_places_area_path (area_path, id),
  KEY k_places_area (area_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Which organisation has which place in its care (a joint branch several
-- units, a compound branch its compound).
CREATE TABLE organisation_places (
  organisation_id VARCHAR(40) NOT NULL,
  place_id VARCHAR(40) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (organisation_id, place_id),
  KEY k_organisation_places_place (place_id, organisation_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Where a member lives or works, for the coverage rule's "full members at
-- the place". One place per member.
CREATE TABLE place_members (
  member_id VARCHAR(40) NOT NULL,
  place_id VARCHAR(40) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (member_id),
  KEY k_place_members_place (place_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A region's own thresholds of the branch work regulations; 0 inherits.
CREATE TABLE formation_thresholds (
  area_id VARCHAR(40) NOT NULL,
  area_path VARCHAR(512) NOT NULL,
  min_full_members_for_branch INT NOT NULL,
  max_branch_members INT NOT NULL,
  max_general_branch_members INT NOT NULL,
  joint_branch_max_units INT NOT NULL,
  compound_min_full_members INT NOT NULL,
  compound_min_residents INT NOT NULL,
  workplace_min_employees INT NOT NULL,
  version BIGINT NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (area_id),
  KEY k_formation_thresholds_area_path (area_path)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
