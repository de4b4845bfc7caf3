-- The party organisation tree. `path` is the organisation codes from the
-- root (unique, so a subtree is a prefix range); `area_path` is the
-- jurisdiction path of the place the organisation belongs to, which scope
-- conditions test. Dissolved organisations stay, with their state.
CREATE TABLE organisations (
  id VARCHAR(40) NOT NULL,
  kind TINYINT NOT NULL,
  code VARCHAR(32) NOT NULL,
  display_name VARCHAR(200) NOT NULL,
  parent_id VARCHAR(40) NULL,
  path VARCHAR(512) NOT NULL,
  area_id VARCHAR(40) NOT NULL,
  area_path VARCHAR(512) NOT NULL,
  unit_name VARCHAR(200) NOT NULL,
  state TINYINT NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  dissolve_time DATETIME(6) NULL,
  dissolve_reason VARCHAR(500) NOT NULL DEFAULT '',
  PRIMARY KEY (id),
  UNIQUE KEY uk_organisations_path (path),
  KEY k_organisations_parent (parent_id, path),
  KEY k_organisations_area (area_id, path),
  KEY k_organisations_area_path (area_path)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
