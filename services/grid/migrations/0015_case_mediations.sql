-- Mediation sessions of disputes (RecordMediation), each also a line of
-- its case's timeline. `request_key` (actor|request id) makes a replay
-- answer the first record.
CREATE TABLE case_mediations (
  id VARCHAR(40) NOT NULL,
  case_id VARCHAR(40) NOT NULL,
  mediation BLOB NOT NULL,
  request_key VARCHAR(300) NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_case_mediations_request (request_key),
  KEY k_case_mediations_case (case_id, create_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
