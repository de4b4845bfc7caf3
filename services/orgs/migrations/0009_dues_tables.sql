-- A year's dues table (the brackets are set per year): a year without its
-- own table uses the latest earlier year's, and before any, the national
-- table in dues_rules.cc. up_to_fen NULL is the open top bracket.
CREATE TABLE dues_tables (
  year INT NOT NULL,
  flat_fen BIGINT NOT NULL,
  version BIGINT NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (year)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE dues_table_brackets (
  year INT NOT NULL,
  category TINYINT NOT NULL,
  position INT NOT NULL,
  up_to_fen BIGINT NULL,
  basis_points INT NOT NULL,
  PRIMARY KEY (year, category, position)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
