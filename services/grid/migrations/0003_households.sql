-- Households in units. The head's personal data is held only encrypted
-- (AES-256-GCM, bound to the household id and field), with its masked form
-- for answers and, for phone and ID number, a keyed hash (HMAC-SHA256) for
-- exact-match search. The unit's building, compound and grid are copied in
-- (units never move), so a listing by any of them is one indexed range.
CREATE TABLE households (
  id VARCHAR(40) NOT NULL,
  unit_id VARCHAR(40) NOT NULL,
  building_id VARCHAR(40) NOT NULL,
  compound_id VARCHAR(40) NOT NULL,
  grid_id VARCHAR(40) NOT NULL,
  grid_path VARCHAR(512) NOT NULL,
  address VARCHAR(64) NOT NULL,
  head_name_cipher VARBINARY(700) NULL,
  head_name_masked VARCHAR(200) NOT NULL,
  head_phone_cipher VARBINARY(100) NULL,
  head_phone_masked VARCHAR(40) NOT NULL,
  head_phone_hash CHAR(64) NULL,
  head_id_number_cipher VARBINARY(100) NULL,
  head_id_number_masked VARCHAR(40) NOT NULL,
  head_id_number_hash CHAR(64) NULL,
  resident_count INT NOT NULL,
  key_household TINYINT NOT NULL,
  key_reason VARCHAR(500) NOT NULL,
  visit_interval_days INT NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_households_address (unit_id, address),
  KEY k_households_unit (unit_id, id),
  KEY k_households_building (building_id, id),
  KEY k_households_compound (compound_id, id),
  KEY k_households_grid (grid_id, id),
  KEY k_households_grid_path (grid_path),
  KEY k_households_phone (head_phone_hash),
  KEY k_households_id_number (head_id_number_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every read of personal data in clear, and every search by it: who, when,
-- why, which record (resource_id NULL for a search). Append-only.
CREATE TABLE personal_data_reads (
  id BIGINT NOT NULL AUTO_INCREMENT,
  actor VARCHAR(200) NOT NULL,
  request_id VARCHAR(128) NOT NULL,
  action VARCHAR(20) NOT NULL,
  resource_type VARCHAR(40) NOT NULL,
  resource_id VARCHAR(40) NULL,
  fields VARCHAR(200) NOT NULL,
  purpose VARCHAR(500) NOT NULL,
  read_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_personal_data_reads_resource (resource_type, resource_id, id),
  KEY k_personal_data_reads_actor (actor, read_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
