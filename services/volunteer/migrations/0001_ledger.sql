-- The points ledger. An account's balance is kept on its row and changed
-- only in the transaction that inserts the transfer and its two entries,
-- under a lock on the account rows (taken in id order), so the balance
-- always equals the sum of its entries and no check-then-write race exists.
CREATE TABLE accounts (
  id VARCHAR(64) NOT NULL,
  kind TINYINT NOT NULL,
  community_path VARCHAR(512) NOT NULL,
  owner_id VARCHAR(40) NOT NULL,
  balance BIGINT NOT NULL,
  entry_count BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY k_accounts_community (community_path, kind)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Immutable: never updated or deleted. The id is the caller's; the UNIQUE
-- key on reverses_transfer_id makes "reversed at most once" the database's
-- promise as well as the store's.
CREATE TABLE transfers (
  id VARCHAR(64) NOT NULL,
  debit_account_id VARCHAR(64) NOT NULL,
  credit_account_id VARCHAR(64) NOT NULL,
  amount BIGINT NOT NULL,
  memo VARCHAR(800) NOT NULL,
  reverses_transfer_id VARCHAR(64) NULL,
  linked_group_id VARCHAR(64) NOT NULL,
  actor VARCHAR(128) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_transfers_reverses (reverses_transfer_id),
  KEY k_transfers_debit (debit_account_id),
  KEY k_transfers_credit (credit_account_id),
  CONSTRAINT ck_transfers_amount CHECK (amount > 0),
  CONSTRAINT ck_transfers_accounts CHECK (debit_account_id <> credit_account_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Each transfer's two sides, numbered per account, with the balance after:
-- history and statements read these without summing.
CREATE TABLE entries (
  account_id VARCHAR(64) NOT NULL,
  sequence BIGINT NOT NULL,
  transfer_id VARCHAR(64) NOT NULL,
  amount BIGINT NOT NULL,
  balance_after BIGINT NOT NULL,
  counterparty_account_id VARCHAR(64) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (account_id, sequence),
  KEY k_entries_time (account_id, create_time),
  KEY k_entries_transfer (transfer_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
