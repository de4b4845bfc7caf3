-- Community workers' working hours, maintained by volunteer admins until
-- careers is the source. One row per volunteer who is a community worker.
CREATE TABLE working_hours (
  volunteer_id VARCHAR(40) NOT NULL,
  community_path VARCHAR(512) NOT NULL,
  weekdays INT NOT NULL,
  start_minute INT NOT NULL,
  end_minute INT NOT NULL,
  utc_offset_minutes INT NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (volunteer_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
