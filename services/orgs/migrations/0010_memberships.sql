-- The roster history: which organisation each member belonged to, with
-- which status, over which days. A period holds from valid_from up to the
-- day before valid_to (NULL: still open), so a member moved or converted on
-- day D is on the new roster from D. Periods of one member never overlap;
-- `open_member_id` is the member id on the open period only, and its unique
-- key keeps one open period per member. area_path is the place the member
-- belonged to then. Written by the member store in the same transaction as
-- every add, transfer and conversion (services/orgs/membership_history.cc).
CREATE TABLE memberships (
  id BIGINT NOT NULL AUTO_INCREMENT,
  member_id VARCHAR(40) NOT NULL,
  organisation_id VARCHAR(40) NOT NULL,
  area_path VARCHAR(512) NOT NULL,
  status TINYINT NOT NULL,
  valid_from DATE NOT NULL,
  valid_to DATE NULL,
  open_member_id VARCHAR(40) AS (IF(valid_to IS NULL, member_id, NULL)) PERSISTENT,
  PRIMARY KEY (id),
  UNIQUE KEY uk_memberships_open (open_member_id),
  KEY k_memberships_member (member_id, valid_from),
  KEY k_memberships_organisation (organisation_id, valid_from)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Backfill. Accepted transfers (state 2) close a period each: from the
-- previous accepted transfer's day (or the joining date) to this one's, in
-- the sending organisation and its place then. Same-day steps leave no
-- empty period. Conversions before this migration left no date behind, so
-- every period carries the member's status of today.
INSERT INTO memberships (member_id, organisation_id, area_path, status, valid_from, valid_to)
SELECT member_id, organisation_id, area_path, status, valid_from, valid_to FROM (
  SELECT t.member_id, t.from_organisation_id AS organisation_id, t.from_area_path AS area_path,
         m.status,
         COALESCE(LAG(DATE(t.decide_time)) OVER (PARTITION BY t.member_id
                                                 ORDER BY t.decide_time, t.id),
                  m.join_date) AS valid_from,
         DATE(t.decide_time) AS valid_to
  FROM member_transfers t JOIN members m ON m.id = t.member_id
  WHERE t.state = 2
) closed WHERE valid_from < valid_to;

-- Every member's open period in its organisation today, from its last
-- accepted transfer or its joining date.
INSERT INTO memberships (member_id, organisation_id, area_path, status, valid_from, valid_to)
SELECT m.id, m.organisation_id, m.area_path, m.status,
       GREATEST(m.join_date, COALESCE((SELECT DATE(MAX(t.decide_time)) FROM member_transfers t
                                       WHERE t.member_id = m.id AND t.state = 2),
                                      m.join_date)),
       NULL
FROM members m;
