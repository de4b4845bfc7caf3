-- Community work admission lists (社区工作准入): versions of a region's
-- list, each with its effective date, categories and items. Versions are
-- never changed or deleted (history); `region_path` follows area moves.
CREATE TABLE admission_lists (
  id VARCHAR(40) NOT NULL,
  region_area_id VARCHAR(40) NOT NULL,
  region_path VARCHAR(512) NOT NULL,
  version INT NOT NULL,
  effective_date DATE NOT NULL,
  published_by VARCHAR(200) NOT NULL,
  publish_time DATETIME(6) NOT NULL,
  row_version BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_admission_lists_region_version (region_area_id, version),
  KEY k_admission_lists_region_path (region_path, effective_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE admission_categories (
  list_id VARCHAR(40) NOT NULL,
  position SMALLINT NOT NULL,
  code VARCHAR(32) NOT NULL,
  name VARCHAR(200) NOT NULL,
  PRIMARY KEY (list_id, position),
  UNIQUE KEY uk_admission_categories_code (list_id, code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- `departments`: the department codes, comma separated (codes hold no comma).
CREATE TABLE admission_items (
  list_id VARCHAR(40) NOT NULL,
  category_position SMALLINT NOT NULL,
  position SMALLINT NOT NULL,
  code VARCHAR(32) NOT NULL,
  name VARCHAR(200) NOT NULL,
  departments VARCHAR(4000) NOT NULL,
  PRIMARY KEY (list_id, category_position, position),
  UNIQUE KEY uk_admission_items_code (list_id, code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
