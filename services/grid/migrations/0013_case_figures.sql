-- Live case figures, kept from grid's own change log by the figures
-- aggregator (services/grid/case_figure_aggregator.h), which alone writes
-- these tables, so no case write waits on a hot figures row.
-- One row per (dimension, area, subject, day, measure) holds a sum:
--   dimension: 1 area (subject ''), 2 department (subject its id),
--     3 worker (subject a grid worker's reporter_ref);
--   area: a grid's path or the path of any area above it ('' the city);
--   parent: the area one level up (for one row per child area), level:
--     0 the grid, 1 its community, 2 its street, ...;
--   day: the UTC day the events counted on; '1000-01-01' holds the stocks
--     (open, overdue), which are now rather than per day;
--   measure: services/grid/case_figure_rules.h (Measure).
CREATE TABLE case_figures (
  dimension TINYINT NOT NULL,
  area VARCHAR(512) NOT NULL,
  subject VARCHAR(128) NOT NULL,
  day DATE NOT NULL,
  measure SMALLINT NOT NULL,
  parent VARCHAR(512) NOT NULL,
  level TINYINT NOT NULL,
  value BIGINT NOT NULL,
  PRIMARY KEY (dimension, area, subject, day, measure),
  KEY k_case_figures_area_day (dimension, area, day),
  KEY k_case_figures_children (dimension, parent, day),
  KEY k_case_figures_level (dimension, level, day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- How far into the change log the figures are (one row).
CREATE TABLE case_figures_cursor (
  id TINYINT NOT NULL PRIMARY KEY,
  last_sequence BIGINT NOT NULL
) ENGINE=InnoDB;
INSERT INTO case_figures_cursor (id, last_sequence) VALUES (1, 0);

-- A street's monthly rating of a department (one per street, department
-- and month; rating again replaces it).
CREATE TABLE department_ratings (
  department_id VARCHAR(40) NOT NULL,
  street_path VARCHAR(512) NOT NULL,
  month CHAR(7) NOT NULL,
  score TINYINT NOT NULL,
  comment VARCHAR(500) NOT NULL,
  rater VARCHAR(128) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (department_id, street_path, month),
  KEY k_department_ratings_month (month, street_path)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
