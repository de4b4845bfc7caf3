-- Micro-wishes. due_time is when the sweeper next acts on a wish (its
-- claim period's end while published or escalated, the claim's end while
-- claimed; NULL otherwise): the sweeper takes due rows by this key with
-- FOR UPDATE SKIP LOCKED, so replicas share the work without waiting.
CREATE TABLE wishes (
  id VARCHAR(40) NOT NULL,
  community_path VARCHAR(512) NOT NULL,
  title VARCHAR(200) NOT NULL,
  description VARCHAR(2000) NOT NULL,
  household_ref VARCHAR(40) NOT NULL,
  points BIGINT NOT NULL,
  publish_days INT NOT NULL,
  claim_hours INT NOT NULL,
  on_unclaimed TINYINT NOT NULL,
  state TINYINT NOT NULL,
  due_time DATETIME(6) NULL,
  claimable_until DATETIME(6) NULL,
  claim_due_time DATETIME(6) NULL,
  claimer_kind TINYINT NOT NULL,
  claimer_volunteer_id VARCHAR(40) NOT NULL,
  claimer_team_id VARCHAR(40) NOT NULL,
  claimer_member_id VARCHAR(40) NOT NULL,
  lapsed_claims INT NOT NULL,
  escalated_to_path VARCHAR(512) NOT NULL,
  reject_reason VARCHAR(500) NOT NULL,
  fulfilment_note VARCHAR(500) NOT NULL,
  confirmation_note VARCHAR(500) NOT NULL,
  collected_by VARCHAR(128) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_wishes_community (community_path, state, id),
  KEY k_wishes_due (due_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
