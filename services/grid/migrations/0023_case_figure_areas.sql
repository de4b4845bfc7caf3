-- Every area with figures once, with its parent, so a row per child area
-- reads the children's own rows by primary key (dimension, area, subject,
-- day: the period's days of each child, in clustered order) instead of
-- every child row through (dimension, parent, day) and a primary-key read
-- for each. That index has no other reader and goes.
-- Each statement is safe to run again if the process died after it.
CREATE TABLE IF NOT EXISTS case_figure_areas (
  area VARCHAR(512) NOT NULL PRIMARY KEY,
  parent VARCHAR(512) NOT NULL,
  KEY k_case_figure_areas_parent (parent)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT IGNORE INTO case_figure_areas (area, parent)
  SELECT area, MIN(parent) FROM case_figures GROUP BY area;

ALTER TABLE case_figures DROP KEY IF EXISTS k_case_figures_children;
