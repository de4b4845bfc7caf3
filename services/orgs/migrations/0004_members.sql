-- Party members. Personal data is held only encrypted (AES-256-GCM, bound
-- to the member id and field), with its masked form for listings and a
-- keyed hash (HMAC-SHA256) for exact-match search. One record per person:
-- the ID number's hash is unique.
CREATE TABLE members (
  id VARCHAR(40) NOT NULL,
  organisation_id VARCHAR(40) NOT NULL,
  area_path VARCHAR(512) NOT NULL,
  status TINYINT NOT NULL,
  join_date DATE NOT NULL,
  probation_end_date DATE NULL,
  name_cipher VARBINARY(700) NOT NULL,
  name_masked VARCHAR(200) NOT NULL,
  phone_cipher VARBINARY(100) NULL,
  phone_masked VARCHAR(40) NOT NULL,
  phone_hash CHAR(64) NULL,
  id_number_cipher VARBINARY(100) NOT NULL,
  id_number_masked VARCHAR(40) NOT NULL,
  id_number_hash CHAR(64) NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_members_id_number (id_number_hash),
  KEY k_members_phone (phone_hash),
  KEY k_members_organisation (organisation_id, id),
  KEY k_members_area_path (area_path)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every read of personal data in clear, and every search by it: who, when,
-- why, which record. Append-only.
CREATE TABLE personal_data_reads (
  id BIGINT NOT NULL AUTO_INCREMENT,
  actor VARCHAR(200) NOT NULL,
  request_id VARCHAR(128) NOT NULL,
  action VARCHAR(20) NOT NULL,
  member_id VARCHAR(40) NULL,
  fields VARCHAR(200) NOT NULL,
  purpose VARCHAR(500) NOT NULL,
  read_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_personal_data_reads_member (member_id, id),
  KEY k_personal_data_reads_actor (actor, read_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
