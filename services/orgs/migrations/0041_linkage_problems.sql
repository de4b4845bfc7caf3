-- Problems raised under a link, each later solved or closed unsolved.
-- `area_path` repeats the link's place so scope conditions and the
-- summary's grouped query need no join.
CREATE TABLE linkage_problems (
  id VARCHAR(40) NOT NULL,
  link_id VARCHAR(40) NOT NULL,
  area_path VARCHAR(512) NOT NULL,
  title VARCHAR(200) NOT NULL,
  category VARCHAR(32) NOT NULL,
  raised_date DATE NOT NULL,
  state TINYINT NOT NULL,
  resolved_date DATE NULL,
  resolution VARCHAR(2000) NOT NULL,
  raised_by VARCHAR(200) NOT NULL,
  resolved_by VARCHAR(200) NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_linkage_problems_link (link_id, id),
  KEY k_linkage_problems_area_path (area_path, raised_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
