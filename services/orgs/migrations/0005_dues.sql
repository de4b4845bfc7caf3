-- Party dues payments: one per member and month; the caller's payment id
-- makes recording idempotent. area_path repeats the member's place so scope
-- conditions need no join.
CREATE TABLE dues_payments (
  member_id VARCHAR(40) NOT NULL,
  month CHAR(7) NOT NULL,
  payment_id VARCHAR(128) NOT NULL,
  amount_fen BIGINT NOT NULL,
  area_path VARCHAR(512) NOT NULL,
  recorded_by VARCHAR(200) NOT NULL,
  record_time DATETIME(6) NOT NULL,
  PRIMARY KEY (member_id, month),
  UNIQUE KEY uk_dues_payments_payment (payment_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
