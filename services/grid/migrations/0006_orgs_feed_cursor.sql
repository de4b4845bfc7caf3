-- How far grid has read orgs' change feed (for area moves): one row, its
-- position advanced in the transaction that applies what was read, so each
-- orgs change is applied exactly once, by one replica.
CREATE TABLE orgs_feed_cursor (
  id TINYINT NOT NULL,
  last_sequence BIGINT NOT NULL,
  update_time DATETIME(6) NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO orgs_feed_cursor (id, last_sequence) VALUES (1, 0);
