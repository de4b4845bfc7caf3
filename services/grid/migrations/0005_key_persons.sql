-- Key persons of a grid, flagged for visits. Personal data as households
-- hold it: encrypted (bound to the record id and field), masked, the ID
-- number's keyed hash unique per grid (one record per person and grid;
-- NULLs, persons without a recorded number, do not collide).
CREATE TABLE key_persons (
  id VARCHAR(40) NOT NULL,
  grid_id VARCHAR(40) NOT NULL,
  grid_path VARCHAR(512) NOT NULL,
  household_id VARCHAR(40) NOT NULL,
  category TINYINT NOT NULL,
  name_cipher VARBINARY(700) NOT NULL,
  name_masked VARCHAR(200) NOT NULL,
  phone_cipher VARBINARY(100) NULL,
  phone_masked VARCHAR(40) NOT NULL,
  phone_hash CHAR(64) NULL,
  id_number_cipher VARBINARY(100) NULL,
  id_number_masked VARCHAR(40) NOT NULL,
  id_number_hash CHAR(64) NULL,
  reason VARCHAR(500) NOT NULL,
  visit_interval_days INT NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_key_persons_id_number (grid_id, id_number_hash),
  KEY k_key_persons_grid (grid_id, id),
  KEY k_key_persons_grid_path (grid_path),
  KEY k_key_persons_household (household_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
