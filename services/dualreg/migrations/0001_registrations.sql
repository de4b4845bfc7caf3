-- Employer organisations registered with the community where they sit,
-- and in-service members with the community where they live. Names, ids
-- and paths are orgs'; checked there when written. version is the etag.
CREATE TABLE unit_registrations (
  id VARCHAR(40) NOT NULL,
  organisation_id VARCHAR(40) NOT NULL,
  organisation_name VARCHAR(200) NOT NULL,
  organisation_path VARCHAR(400) NOT NULL,
  community_id VARCHAR(40) NOT NULL,
  community_path VARCHAR(200) NOT NULL,
  resources VARCHAR(1000) NOT NULL,
  agreement VARCHAR(2000) NOT NULL,
  valid_until DATE NOT NULL,
  in_service_members INT NOT NULL,
  withdrawn BOOLEAN NOT NULL,
  withdraw_reason VARCHAR(500) NOT NULL,
  -- The organisation while the registration is not withdrawn: one at a time.
  active_organisation_id VARCHAR(40) NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_unit_registrations_active (active_organisation_id),
  KEY k_unit_registrations_community (community_path, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE member_registrations (
  id VARCHAR(40) NOT NULL,
  member_id VARCHAR(40) NOT NULL,
  employer_organisation_id VARCHAR(40) NOT NULL,
  employer_organisation_path VARCHAR(400) NOT NULL,
  community_id VARCHAR(40) NOT NULL,
  community_path VARCHAR(200) NOT NULL,
  -- The registration's skills and availability as its message fields.
  skills VARCHAR(1000) NOT NULL,
  availability VARBINARY(1000) NOT NULL,
  volunteer_id VARCHAR(40) NOT NULL,
  withdrawn BOOLEAN NOT NULL,
  -- The member while the registration is active: one active registration each.
  active_member_id VARCHAR(40) NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_member_registrations_active (active_member_id),
  KEY k_member_registrations_community (community_path, id),
  KEY k_member_registrations_employer (employer_organisation_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
