-- Certificates of service hours. seq (AUTO_INCREMENT) makes the number
-- unique without a counter row every post would queue on; the number is
-- "VC-<year>-<seq, 8 digits>". Rows are never deleted: a revoked
-- certificate keeps its number.
CREATE TABLE certificates (
  seq BIGINT NOT NULL AUTO_INCREMENT,
  number VARCHAR(40) NULL,
  volunteer_id VARCHAR(40) NOT NULL,
  community_path VARCHAR(512) NOT NULL,
  masked_name VARCHAR(200) NOT NULL,
  member_id VARCHAR(40) NOT NULL,
  service_minutes BIGINT NOT NULL,
  content VARCHAR(500) NOT NULL,
  issuer VARCHAR(200) NOT NULL,
  state TINYINT NOT NULL,
  post_time DATETIME(6) NOT NULL,
  issuable_time DATETIME(6) NOT NULL,
  issue_time DATETIME(6) NULL,
  revoke_time DATETIME(6) NULL,
  revoke_reason VARCHAR(500) NOT NULL,
  posted_by VARCHAR(128) NOT NULL,
  PRIMARY KEY (seq),
  UNIQUE KEY uk_certificates_number (number),
  KEY k_certificates_volunteer (volunteer_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
