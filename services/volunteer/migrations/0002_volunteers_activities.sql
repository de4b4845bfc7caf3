-- Volunteers, teams, activities and attendances. A volunteer's name is
-- stored encrypted (bound to the row and field) with its masked form; the
-- orgs member id is a reference into orgs, never joined.
CREATE TABLE volunteers (
  id VARCHAR(40) NOT NULL,
  community_path VARCHAR(512) NOT NULL,
  name_cipher VARBINARY(512) NOT NULL,
  name_masked VARCHAR(200) NOT NULL,
  member_id VARCHAR(40) NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_volunteers_member (member_id),
  KEY k_volunteers_community (community_path, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE teams (
  id VARCHAR(40) NOT NULL,
  community_path VARCHAR(512) NOT NULL,
  display_name VARCHAR(200) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_teams_name (community_path, display_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE team_leaders (
  team_id VARCHAR(40) NOT NULL,
  volunteer_id VARCHAR(40) NOT NULL,
  PRIMARY KEY (team_id, volunteer_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- signed_up counts the attendances holding a place (signed up, checked in or
-- out, confirmed); it changes only under a lock on the activity's row, so
-- concurrent sign-ups queue and capacity is never exceeded.
CREATE TABLE activities (
  id VARCHAR(40) NOT NULL,
  community_path VARCHAR(512) NOT NULL,
  team_id VARCHAR(40) NULL,
  title VARCHAR(200) NOT NULL,
  activity_type VARCHAR(32) NOT NULL,
  place VARCHAR(200) NOT NULL,
  start_time DATETIME(6) NOT NULL,
  end_time DATETIME(6) NOT NULL,
  capacity INT NOT NULL,
  signed_up INT NOT NULL,
  organiser VARCHAR(128) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_activities_community (community_path, start_time),
  CONSTRAINT ck_activities_capacity CHECK (signed_up >= 0 AND signed_up <= capacity)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One attendance per volunteer and activity; minutes are the permanent
-- record of hours once confirmed.
CREATE TABLE attendances (
  id VARCHAR(40) NOT NULL,
  activity_id VARCHAR(40) NOT NULL,
  volunteer_id VARCHAR(40) NOT NULL,
  community_path VARCHAR(512) NOT NULL,
  state TINYINT NOT NULL,
  check_in_time DATETIME(6) NULL,
  check_out_time DATETIME(6) NULL,
  minutes BIGINT NOT NULL,
  points BIGINT NOT NULL,
  transfer_id VARCHAR(64) NULL,
  confirmed_by VARCHAR(128) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_attendances_volunteer (activity_id, volunteer_id),
  KEY k_attendances_volunteer (volunteer_id, state)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE points_rules (
  community_path VARCHAR(512) NOT NULL,
  activity_type VARCHAR(32) NOT NULL,
  points_per_hour BIGINT NOT NULL,
  points_per_activity BIGINT NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (community_path, activity_type)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
