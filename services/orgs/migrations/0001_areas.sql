-- The jurisdiction tree down to communities. `path` is the codes from the
-- root joined by '/', unique, so "everything under s03" is a prefix range on
-- uk_areas_path and sibling codes are unique by construction.
CREATE TABLE areas (
  id VARCHAR(40) NOT NULL,
  kind TINYINT NOT NULL,
  code VARCHAR(32) NOT NULL,
  display_name VARCHAR(200) NOT NULL,
  parent_id VARCHAR(40) NULL,
  path VARCHAR(512) NOT NULL,
  depth TINYINT NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_areas_path (path),
  KEY k_areas_parent (parent_id, path)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
