-- Transfers of membership between organisations. `pending_member_id` is the
-- member id while the transfer is pending and NULL after: its unique key
-- allows one pending transfer per member. The membership itself moves only
-- when the receiving side accepts (members.organisation_id).
CREATE TABLE member_transfers (
  id VARCHAR(40) NOT NULL,
  member_id VARCHAR(40) NOT NULL,
  pending_member_id VARCHAR(40) NULL,
  from_organisation_id VARCHAR(40) NOT NULL,
  to_organisation_id VARCHAR(40) NOT NULL,
  from_area_path VARCHAR(512) NOT NULL,
  to_area_path VARCHAR(512) NOT NULL,
  state TINYINT NOT NULL,
  reason VARCHAR(500) NOT NULL,
  requested_by VARCHAR(200) NOT NULL,
  decided_by VARCHAR(200) NOT NULL DEFAULT '',
  request_time DATETIME(6) NOT NULL,
  decide_time DATETIME(6) NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_member_transfers_pending (pending_member_id),
  KEY k_member_transfers_member (member_id, request_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
