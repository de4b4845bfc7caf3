-- Tickets other systems (the 12345 hotline) keep for cases they pushed in:
-- the key makes a repeated push find its case, and (system, case_id) lets
-- the change feed be filtered to one system's cases.
CREATE TABLE case_external_tickets (
  external_system VARCHAR(32) NOT NULL,
  ticket_id VARCHAR(128) NOT NULL,
  case_id VARCHAR(40) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (external_system, ticket_id),
  KEY k_case_external_tickets_case (external_system, case_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
