-- Community workers' real-name records. Name and ID number are kept
-- encrypted (bound to the row), masked for every answer, and the ID number
-- keyed-hashed for exact-match lookup. version is the etag.
CREATE TABLE workers (
  id VARCHAR(40) NOT NULL,
  community_path VARCHAR(200) NOT NULL,
  name_cipher VARBINARY(512) NOT NULL,
  name_masked VARCHAR(200) NOT NULL,
  id_number_cipher VARBINARY(512) NOT NULL,
  id_number_masked VARCHAR(40) NOT NULL,
  id_number_hash CHAR(64) NOT NULL,
  post TINYINT NOT NULL,
  grade INT NOT NULL,
  entry_channel TINYINT NOT NULL,
  degree TINYINT NOT NULL,
  rung TINYINT NOT NULL,
  hire_date DATE NOT NULL,
  rung_date DATE NOT NULL,
  leave_date DATE NULL,
  status TINYINT NOT NULL,
  seconded_to VARCHAR(200) NOT NULL,
  passed_post_training BOOLEAN NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_workers_id_number (id_number_hash),
  KEY k_workers_community (community_path, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every post, grade, rotation, secondment, ladder step and leaving, numbered per worker.
CREATE TABLE worker_history (
  worker_id VARCHAR(40) NOT NULL,
  number INT NOT NULL,
  kind TINYINT NOT NULL,
  field VARCHAR(32) NOT NULL,
  before_value VARCHAR(200) NOT NULL,
  after_value VARCHAR(200) NOT NULL,
  effective_date DATE NOT NULL,
  reason VARCHAR(500) NOT NULL,
  actor VARCHAR(128) NOT NULL,
  change_time DATETIME(6) NOT NULL,
  PRIMARY KEY (worker_id, number)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Who read an ID number in clear or searched by one, and why.
CREATE TABLE personal_data_reads (
  id BIGINT NOT NULL AUTO_INCREMENT,
  actor VARCHAR(200) NOT NULL,
  request_id VARCHAR(128) NOT NULL,
  action VARCHAR(20) NOT NULL,
  resource_type VARCHAR(40) NOT NULL,
  resource_id VARCHAR(40) NULL,
  fields VARCHAR(200) NOT NULL,
  purpose VARCHAR(500) NOT NULL,
  read_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_personal_data_reads_resource (resource_type, resource_id, id),
  KEY k_personal_data_reads_actor (actor, read_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
