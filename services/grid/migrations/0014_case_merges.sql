-- A case merged into another (MergeCases) points at the case kept.
ALTER TABLE cases ADD COLUMN merged_into VARCHAR(40) NOT NULL DEFAULT '';
