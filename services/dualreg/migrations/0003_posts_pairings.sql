-- Service posts with their capacity; claimed never exceeds it (CHECK and
-- the conditional UPDATE that takes a place).
CREATE TABLE posts (
  id VARCHAR(40) NOT NULL,
  community_id VARCHAR(40) NOT NULL,
  community_path VARCHAR(200) NOT NULL,
  type VARCHAR(32) NOT NULL,
  title VARCHAR(200) NOT NULL,
  description VARCHAR(1000) NOT NULL,
  capacity INT NOT NULL,
  claimed INT NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_posts_community (community_path, id),
  CONSTRAINT c_posts_capacity CHECK (claimed >= 0 AND claimed <= capacity)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE post_claims (
  post_id VARCHAR(40) NOT NULL,
  registration_id VARCHAR(40) NOT NULL,
  member_id VARCHAR(40) NOT NULL,
  community_path VARCHAR(200) NOT NULL,
  claim_time DATETIME(6) NOT NULL,
  PRIMARY KEY (post_id, registration_id),
  KEY k_post_claims_path (community_path)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One active pairing per registration and per household (NULL once ended).
-- due_time is when the next visit is due: the report's index.
CREATE TABLE pairings (
  id VARCHAR(40) NOT NULL,
  registration_id VARCHAR(40) NOT NULL,
  member_id VARCHAR(40) NOT NULL,
  community_path VARCHAR(200) NOT NULL,
  household_id VARCHAR(40) NOT NULL,
  need TINYINT NOT NULL,
  visit_interval_days INT NOT NULL,
  visits INT NOT NULL,
  last_visit_time DATETIME(6) NULL,
  start_time DATETIME(6) NOT NULL,
  due_time DATETIME(6) NOT NULL,
  active_registration_id VARCHAR(40) NULL,
  active_household_id VARCHAR(40) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_pairings_registration (active_registration_id),
  UNIQUE KEY uk_pairings_household (active_household_id),
  KEY k_pairings_due (community_path, due_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE pairing_visits (
  pairing_id VARCHAR(40) NOT NULL,
  number INT NOT NULL,
  visit_time DATETIME(6) NOT NULL,
  note VARCHAR(500) NOT NULL,
  actor VARCHAR(128) NOT NULL,
  PRIMARY KEY (pairing_id, number)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
