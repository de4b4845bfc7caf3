-- Grids under the communities of orgs' jurisdiction tree. `path` is the
-- community's path, "/", the code: unique, so codes are unique in a
-- community and "everything under street s03" is a prefix range on it.
-- community_id is orgs' area id (orgs' tables are never read from here).
CREATE TABLE grids (
  id VARCHAR(40) NOT NULL,
  code VARCHAR(32) NOT NULL,
  display_name VARCHAR(200) NOT NULL,
  community_id VARCHAR(40) NOT NULL,
  path VARCHAR(512) NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_grids_path (path),
  KEY k_grids_community (community_id, path)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
