-- One vote per household and consultation, enforced by the primary key
-- (concurrent votes of one household serialise on it). The caller's
-- request id is kept so a retry answers the first vote.
CREATE TABLE consultation_votes (
  consultation_id VARCHAR(40) NOT NULL,
  household_id VARCHAR(64) NOT NULL,
  id VARCHAR(40) NOT NULL,
  option_number INT NOT NULL,
  request_id VARCHAR(128) NOT NULL DEFAULT '',
  cast_by VARCHAR(200) NOT NULL,
  cast_time DATETIME(6) NOT NULL,
  PRIMARY KEY (consultation_id, household_id),
  UNIQUE KEY uk_consultation_votes_id (id),
  KEY k_consultation_votes_option (consultation_id, option_number)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Opinions: free text, as many per household as it likes.
CREATE TABLE consultation_opinions (
  id VARCHAR(40) NOT NULL,
  consultation_id VARCHAR(40) NOT NULL,
  household_id VARCHAR(64) NOT NULL,
  text VARCHAR(2000) NOT NULL,
  submitted_by VARCHAR(200) NOT NULL,
  submit_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_consultation_opinions_consultation (consultation_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
