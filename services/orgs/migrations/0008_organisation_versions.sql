-- Every version of every organisation, for "as of" reads: a version is in
-- force from valid_from until valid_to (NULL while current). Written in the
-- transaction of each change; existing organisations start with their
-- current state from their creation.
CREATE TABLE organisation_versions (
  version_id BIGINT NOT NULL AUTO_INCREMENT,
  valid_from DATETIME(6) NOT NULL,
  valid_to DATETIME(6) NULL,
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
  PRIMARY KEY (version_id),
  KEY k_organisation_versions_id (id, valid_from),
  KEY k_organisation_versions_path (path, valid_from)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO organisation_versions (valid_from, valid_to, id, kind, code, display_name,
  parent_id, path, area_id, area_path, unit_name, state, version, create_time, update_time,
  dissolve_time, dissolve_reason)
SELECT create_time, NULL, id, kind, code, display_name, parent_id, path, area_id, area_path,
  unit_name, state, version, create_time, update_time, dissolve_time, dissolve_reason
FROM organisations;
