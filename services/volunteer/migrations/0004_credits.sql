-- Hours and points credited by other services, one row per (source, event
-- id): the primary key is the deduplication, and the row commits with its
-- ledger transfer ("credit/<source>/<event id>").
CREATE TABLE credits (
  source VARCHAR(16) NOT NULL,
  event_id VARCHAR(40) NOT NULL,
  volunteer_id VARCHAR(40) NOT NULL,
  community_path VARCHAR(512) NOT NULL,
  points BIGINT NOT NULL,
  minutes BIGINT NOT NULL,
  memo VARCHAR(800) NOT NULL,
  actor VARCHAR(128) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (source, event_id),
  KEY k_credits_volunteer (volunteer_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
