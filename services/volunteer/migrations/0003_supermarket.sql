-- The love supermarket. A good's stock changes only by a conditional
-- UPDATE (stock >= the quantity taken) in the transaction that debits the
-- points, after the ledger has locked the accounts; the counters beside it
-- let the checker prove stock = initial + restocked - redeemed + cancelled.
CREATE TABLE goods (
  id VARCHAR(40) NOT NULL,
  community_path VARCHAR(512) NOT NULL,
  display_name VARCHAR(200) NOT NULL,
  price BIGINT NOT NULL,
  initial_stock BIGINT NOT NULL,
  restocked BIGINT NOT NULL,
  stock BIGINT NOT NULL,
  redeemed BIGINT NOT NULL,
  cancelled BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_goods_name (community_path, display_name),
  CONSTRAINT ck_goods_stock CHECK (stock >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The id is the caller's; its ledger transfers are "redemption/<id>" and,
-- once cancelled, "redemption/<id>/cancel".
CREATE TABLE redemptions (
  id VARCHAR(40) NOT NULL,
  good_id VARCHAR(40) NOT NULL,
  volunteer_id VARCHAR(40) NOT NULL,
  community_path VARCHAR(512) NOT NULL,
  quantity BIGINT NOT NULL,
  points BIGINT NOT NULL,
  state TINYINT NOT NULL,
  actor VARCHAR(128) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_redemptions_good (good_id, state),
  KEY k_redemptions_volunteer (volunteer_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
