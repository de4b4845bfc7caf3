-- The change log is the service's audit trail and its outbox in one table:
-- every committed change to a record is one row, written in the same
-- transaction as the change (who, when, what before and after). The feed
-- position `sequence` is assigned after commit by the sequencer, in commit
-- order, so readers paging by sequence never miss a late commit.
CREATE TABLE change_log (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  sequence BIGINT NULL,
  resource_type VARCHAR(128) NOT NULL,
  resource_id VARCHAR(64) NOT NULL,
  action TINYINT NOT NULL,
  path VARCHAR(512) NOT NULL,
  actor VARCHAR(128) NOT NULL,
  request_id VARCHAR(128) NULL,
  commit_time DATETIME(6) NOT NULL,
  after_state MEDIUMBLOB NULL,
  before_state MEDIUMBLOB NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_change_log_sequence (sequence),
  UNIQUE KEY uk_change_log_request (actor, request_id),
  KEY k_change_log_resource (resource_type, resource_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE change_sequencer (
  id TINYINT NOT NULL PRIMARY KEY,
  last_sequence BIGINT NOT NULL
) ENGINE=InnoDB;

INSERT INTO change_sequencer (id, last_sequence) VALUES (1, 0);
