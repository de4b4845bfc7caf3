-- What stands in a grid: compounds, buildings (in a compound or on their
-- own, compound_id '' then, so the name stays unique among them) and the
-- buildings' units. Each row carries its grid's path for scope; names are
-- unique where people tell them apart.
CREATE TABLE compounds (
  id VARCHAR(40) NOT NULL,
  grid_id VARCHAR(40) NOT NULL,
  grid_path VARCHAR(512) NOT NULL,
  display_name VARCHAR(200) NOT NULL,
  address VARCHAR(300) NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_compounds_name (grid_id, display_name),
  KEY k_compounds_grid (grid_id, id),
  KEY k_compounds_grid_path (grid_path)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE buildings (
  id VARCHAR(40) NOT NULL,
  grid_id VARCHAR(40) NOT NULL,
  compound_id VARCHAR(40) NOT NULL,
  grid_path VARCHAR(512) NOT NULL,
  display_name VARCHAR(200) NOT NULL,
  floor_count INT NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_buildings_name (grid_id, compound_id, display_name),
  KEY k_buildings_grid (grid_id, id),
  KEY k_buildings_compound (compound_id, id),
  KEY k_buildings_grid_path (grid_path)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE units (
  id VARCHAR(40) NOT NULL,
  building_id VARCHAR(40) NOT NULL,
  grid_id VARCHAR(40) NOT NULL,
  compound_id VARCHAR(40) NOT NULL,
  grid_path VARCHAR(512) NOT NULL,
  display_name VARCHAR(200) NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_units_name (building_id, display_name),
  KEY k_units_building (building_id, id),
  KEY k_units_grid_path (grid_path)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
