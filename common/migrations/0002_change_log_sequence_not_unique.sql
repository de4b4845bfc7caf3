-- A UNIQUE index over the nullable `sequence` made every insert scan (and,
-- under REPEATABLE READ, share-lock) all rows still waiting for a feed
-- position, since InnoDB checks NULLs in a unique index for duplicates one by
-- one. Positions are unique by construction (only the sequencer gives them
-- out, under the change_sequencer row lock), so a plain index serves.
ALTER TABLE change_log DROP INDEX uk_change_log_sequence, ADD KEY k_change_log_sequence (sequence);
