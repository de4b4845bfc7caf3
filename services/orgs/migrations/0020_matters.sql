-- Major matters (四议一审两公开) of a community party organisation and their
-- steps. `area_path` repeats the organisation's place so scope conditions
-- need no join. `state` is the last step recorded (DONE is never stored: it
-- follows from result_time, the clock and open_objections when read).
-- `open_objections` counts the unanswered objections to the publication
-- that is up, kept in the transactions that file and answer them.
CREATE TABLE matters (
  id VARCHAR(40) NOT NULL,
  organisation_id VARCHAR(40) NOT NULL,
  area_path VARCHAR(512) NOT NULL,
  title VARCHAR(200) NOT NULL,
  description VARCHAR(4000) NOT NULL,
  proposer_member_id VARCHAR(40) NOT NULL DEFAULT '',
  state TINYINT NOT NULL,
  open_objections INT NOT NULL DEFAULT 0,
  resolution_time DATETIME(6) NULL,
  result_time DATETIME(6) NULL,
  proposed_by VARCHAR(200) NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_matters_organisation (organisation_id, id),
  KEY k_matters_area_path (area_path),
  KEY k_matters_state (state, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One row per step of a matter: the primary key makes a repeated step
-- impossible even if two writers raced past the state check. The vote
-- columns are NULL for steps without a vote.
CREATE TABLE matter_steps (
  matter_id VARCHAR(40) NOT NULL,
  kind TINYINT NOT NULL,
  step_date DATE NOT NULL,
  outcome TINYINT NOT NULL,
  outcome_detail VARCHAR(500) NOT NULL,
  entitled INT NULL,
  present INT NULL,
  in_favour INT NULL,
  against INT NULL,
  abstaining INT NULL,
  other_participants INT NOT NULL DEFAULT 0,
  note VARCHAR(4000) NOT NULL,
  recorded_by VARCHAR(200) NOT NULL,
  record_time DATETIME(6) NOT NULL,
  PRIMARY KEY (matter_id, kind)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The party members who took part in a step, by member id (no names).
CREATE TABLE matter_step_participants (
  matter_id VARCHAR(40) NOT NULL,
  kind TINYINT NOT NULL,
  member_id VARCHAR(40) NOT NULL,
  PRIMARY KEY (matter_id, kind, member_id),
  KEY k_matter_step_participants_member (member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
