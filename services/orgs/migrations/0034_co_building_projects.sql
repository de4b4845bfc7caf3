-- Co-building projects (共建项目): each joint-meeting decision and each
-- accepted match is one, owned by a resident unit, with a due date.
-- area_path is the convener's place (a decision) or the need's (a match).
-- A decision and a match make at most one project each (unique keys).
CREATE TABLE co_building_projects (
  id VARCHAR(40) NOT NULL,
  owner_unit_id VARCHAR(40) NOT NULL,
  area_path VARCHAR(512) NOT NULL,
  title VARCHAR(200) NOT NULL,
  due_date DATE NOT NULL,
  state TINYINT NOT NULL,
  source TINYINT NOT NULL,
  joint_meeting_id VARCHAR(40) NULL,
  decision_number INT NULL,
  resource_match_id VARCHAR(40) NULL,
  status_note VARCHAR(500) NOT NULL DEFAULT '',
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_co_building_projects_decision (joint_meeting_id, decision_number),
  UNIQUE KEY uk_co_building_projects_match (resource_match_id),
  KEY k_co_building_projects_area_path (area_path),
  KEY k_co_building_projects_due (due_date, id),
  KEY k_co_building_projects_owner (owner_unit_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
