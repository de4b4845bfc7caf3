-- Joint meetings (联席会议) convened by a street or community party
-- organisation; area_path is the convener's place. The invited units and
-- which of them came are rows of joint_meeting_units; agenda items are their
-- own rows. Decisions are the co-building projects made from them
-- (co_building_projects.joint_meeting_id).
CREATE TABLE joint_meetings (
  id VARCHAR(40) NOT NULL,
  convener_organisation_id VARCHAR(40) NOT NULL,
  area_path VARCHAR(512) NOT NULL,
  title VARCHAR(200) NOT NULL,
  meeting_date DATE NOT NULL,
  state TINYINT NOT NULL,
  minutes TEXT NULL,
  cancel_reason VARCHAR(500) NOT NULL DEFAULT '',
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_joint_meetings_area_path (area_path),
  KEY k_joint_meetings_date (meeting_date, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE joint_meeting_units (
  meeting_id VARCHAR(40) NOT NULL,
  unit_id VARCHAR(40) NOT NULL,
  present TINYINT NOT NULL DEFAULT 0,
  PRIMARY KEY (meeting_id, unit_id),
  KEY k_joint_meeting_units_unit (unit_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE joint_meeting_agenda_items (
  id VARCHAR(40) NOT NULL,
  meeting_id VARCHAR(40) NOT NULL,
  unit_id VARCHAR(40) NULL,
  title VARCHAR(200) NOT NULL,
  description VARCHAR(2000) NOT NULL,
  submitted_by VARCHAR(200) NOT NULL,
  submit_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_joint_meeting_agenda_items_meeting (meeting_id, submit_time, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
