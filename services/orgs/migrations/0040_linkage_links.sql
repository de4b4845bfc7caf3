-- Linkage (包联): an official or a unit linked to a community. The party is
-- a member id (personal data stays in `members`) or another system's opaque
-- reference with a title or unit name, never a person's name. `area_path`
-- is the community's path (the link's scope); it follows area moves.
CREATE TABLE linkage_links (
  id VARCHAR(40) NOT NULL,
  party_kind TINYINT NOT NULL,
  member_id VARCHAR(40) NULL,
  reference VARCHAR(128) NULL,
  display_title VARCHAR(200) NOT NULL,
  unit_kind TINYINT NOT NULL,
  area_id VARCHAR(40) NOT NULL,
  area_path VARCHAR(512) NOT NULL,
  compound VARCHAR(200) NOT NULL,
  start_date DATE NOT NULL,
  end_date DATE NULL,
  state TINYINT NOT NULL,
  note VARCHAR(500) NOT NULL,
  created_by VARCHAR(200) NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_linkage_links_area_path (area_path, id),
  KEY k_linkage_links_member (member_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
