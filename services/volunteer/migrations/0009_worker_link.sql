-- The careers worker a volunteer is, when a community worker: their
-- working hours are then asked of careers.
ALTER TABLE volunteers ADD COLUMN worker_id VARCHAR(40) NOT NULL DEFAULT '';
