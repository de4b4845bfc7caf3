-- Organisational life (三会一课): meetings of an organisation by type, planned
-- then held or cancelled. The quorum is computed from the roster of the
-- actual date when the meeting is recorded and kept as it was then;
-- is_valid (held, and quorate where a quorum applies) is what the next-due
-- clock and compliance count. area_path is the organisation's place.
CREATE TABLE meetings (
  id VARCHAR(40) NOT NULL,
  organisation_id VARCHAR(40) NOT NULL,
  area_path VARCHAR(512) NOT NULL,
  type TINYINT NOT NULL,
  state TINYINT NOT NULL,
  topic VARCHAR(200) NOT NULL,
  planned_date DATE NOT NULL,
  actual_date DATE NULL,
  election TINYINT NOT NULL DEFAULT 0,
  quorum_applies TINYINT NOT NULL DEFAULT 0,
  quorum_eligible INT NOT NULL DEFAULT 0,
  quorum_present INT NOT NULL DEFAULT 0,
  quorum_required INT NOT NULL DEFAULT 0,
  quorate TINYINT NOT NULL DEFAULT 0,
  quorum_rule VARCHAR(40) NOT NULL DEFAULT '',
  quorum_message VARCHAR(500) NOT NULL DEFAULT '',
  is_valid TINYINT NOT NULL DEFAULT 0,
  cancel_reason VARCHAR(500) NOT NULL DEFAULT '',
  planned_by VARCHAR(200) NOT NULL,
  recorded_by VARCHAR(200) NOT NULL DEFAULT '',
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_meetings_organisation (organisation_id, planned_date, id),
  KEY k_meetings_held (organisation_id, state, type, is_valid, actual_date),
  KEY k_meetings_area_path (area_path)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Who was on the roster of a held meeting's day, present or absent (with
-- the reason).
CREATE TABLE meeting_attendance (
  meeting_id VARCHAR(40) NOT NULL,
  member_id VARCHAR(40) NOT NULL,
  present TINYINT NOT NULL,
  absence_reason VARCHAR(200) NOT NULL,
  PRIMARY KEY (meeting_id, member_id),
  KEY k_meeting_attendance_member (member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The decisions of a held meeting, in order.
CREATE TABLE meeting_decisions (
  meeting_id VARCHAR(40) NOT NULL,
  position INT NOT NULL,
  decision VARCHAR(1000) NOT NULL,
  PRIMARY KEY (meeting_id, position)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
