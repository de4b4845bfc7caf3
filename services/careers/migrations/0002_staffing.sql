-- Staffing rules per region ("" the city) and households per community.
CREATE TABLE staffing_rules (
  region_path VARCHAR(200) NOT NULL,
  base_households INT NOT NULL,
  minimum_workers INT NOT NULL,
  households_per_extra_worker INT NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (region_path)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE community_households (
  community_path VARCHAR(200) NOT NULL,
  households INT NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (community_path)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
