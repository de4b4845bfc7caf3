-- When each community worker works (their local week): volunteer asks, to
-- tell a worker's volunteering from their work. Workers on record before
-- get the standard week, Monday to Friday 09:00-17:00 at UTC+8.
ALTER TABLE workers
  ADD COLUMN work_weekdays TINYINT NOT NULL DEFAULT 31,
  ADD COLUMN work_start_minute SMALLINT NOT NULL DEFAULT 540,
  ADD COLUMN work_end_minute SMALLINT NOT NULL DEFAULT 1020,
  ADD COLUMN work_utc_offset_minutes SMALLINT NOT NULL DEFAULT 480;
