-- Resident units (驻区单位) registered with a street, town or community.
-- area_path is the place's jurisdiction path, which scope conditions test.
-- The liaison's name and phone are personal data: held only encrypted
-- (AES-256-GCM, bound to the unit id and field) with their masked forms for
-- answers. Withdrawn units stay, with their reason.
CREATE TABLE resident_units (
  id VARCHAR(40) NOT NULL,
  area_id VARCHAR(40) NOT NULL,
  area_path VARCHAR(512) NOT NULL,
  display_name VARCHAR(200) NOT NULL,
  kind TINYINT NOT NULL,
  employee_count INT NOT NULL,
  organisation_id VARCHAR(40) NULL,
  liaison_name_cipher VARBINARY(700) NOT NULL,
  liaison_name_masked VARCHAR(200) NOT NULL,
  liaison_phone_cipher VARBINARY(100) NOT NULL,
  liaison_phone_masked VARCHAR(40) NOT NULL,
  state TINYINT NOT NULL,
  withdraw_reason VARCHAR(500) NOT NULL DEFAULT '',
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  withdraw_time DATETIME(6) NULL,
  PRIMARY KEY (id),
  KEY k_resident_units_area_path (area_path),
  KEY k_resident_units_area (area_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Reads of a unit liaison's details in clear are recorded beside the
-- members' (member_id stays NULL on those rows).
ALTER TABLE personal_data_reads
  ADD COLUMN resident_unit_id VARCHAR(40) NULL,
  ADD KEY k_personal_data_reads_resident_unit (resident_unit_id, id);
