-- The three lists. due_time is the current step's deadline (NULL when no
-- step is due), the one column the overdue sweeper's index reads.
CREATE TABLE orders (
  id VARCHAR(40) NOT NULL,
  community_id VARCHAR(40) NOT NULL,
  community_path VARCHAR(200) NOT NULL,
  household_id VARCHAR(40) NOT NULL,
  skill VARCHAR(32) NOT NULL,
  description VARCHAR(500) NOT NULL,
  requested_time DATETIME(6) NOT NULL,
  duration_minutes INT NOT NULL,
  state TINYINT NOT NULL,
  ordered_by VARCHAR(128) NOT NULL,
  taker_registration_id VARCHAR(40) NOT NULL,
  taker_member_id VARCHAR(40) NOT NULL,
  taker_volunteer_id VARCHAR(40) NOT NULL,
  minutes INT NOT NULL,
  rating INT NOT NULL,
  comment VARCHAR(500) NOT NULL,
  overdue BOOLEAN NOT NULL,
  due_time DATETIME(6) NULL,
  dispatch_count INT NOT NULL,
  credit_state TINYINT NOT NULL,
  need_published VARCHAR(40) NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_orders_community (community_path, create_time, id),
  KEY k_orders_due (overdue, due_time),
  KEY k_orders_taker (taker_member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The registrations an order is dispatched to now (replaced on re-dispatch);
-- a taken order keeps only its taker's row, a completed one none, so a
-- registration's rows are its open orders.
CREATE TABLE order_offers (
  order_id VARCHAR(40) NOT NULL,
  registration_id VARCHAR(40) NOT NULL,
  PRIMARY KEY (order_id, registration_id),
  KEY k_order_offers_registration (registration_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Calls other services must receive (credits to volunteer, needs to orgs),
-- written in the transaction that makes them due; the relay delivers them
-- with retries, and the receivers deduplicate by event_id.
CREATE TABLE deliveries (
  id BIGINT NOT NULL AUTO_INCREMENT,
  kind TINYINT NOT NULL,
  event_id VARCHAR(64) NOT NULL,
  order_id VARCHAR(40) NOT NULL,
  payload VARBINARY(4000) NOT NULL,
  attempts INT NOT NULL,
  next_attempt_time DATETIME(6) NOT NULL,
  -- NULL while pending; set when delivered or refused for good.
  done_time DATETIME(6) NULL,
  refused BOOLEAN NOT NULL,
  last_error VARCHAR(500) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_deliveries_event (event_id),
  KEY k_deliveries_pending (done_time, next_attempt_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
