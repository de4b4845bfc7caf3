-- Part-time seats (兼职委员) of member units on a street's or community's
-- big party committee (大党委), the committee being that place's party
-- organisation. `seated_unit_id` is the unit id while the seat is held and
-- NULL after: its unique key puts a unit on a committee at most once at a
-- time, and a removed seat stays as history.
CREATE TABLE big_committee_seats (
  id VARCHAR(40) NOT NULL,
  organisation_id VARCHAR(40) NOT NULL,
  area_path VARCHAR(512) NOT NULL,
  unit_id VARCHAR(40) NOT NULL,
  seated_unit_id VARCHAR(40) NULL,
  role TINYINT NOT NULL,
  holder_title VARCHAR(200) NOT NULL,
  term_start DATE NOT NULL,
  term_end DATE NOT NULL,
  state TINYINT NOT NULL,
  remove_reason VARCHAR(500) NOT NULL DEFAULT '',
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  remove_time DATETIME(6) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_big_committee_seats_seated (organisation_id, seated_unit_id),
  KEY k_big_committee_seats_committee (organisation_id, id),
  KEY k_big_committee_seats_unit (unit_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
