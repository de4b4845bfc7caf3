-- Each community's points expiry period; a community without a row uses
-- the default (36 months). Expiry itself is only ledger transfers
-- ("expiry/<volunteer id>/<cutoff>") to the community's expiry account.
CREATE TABLE expiry_rules (
  community_path VARCHAR(512) NOT NULL,
  months INT NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (community_path)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
