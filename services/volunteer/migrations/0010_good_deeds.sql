-- Points a community gives a good deed of a type (recorded by an organiser
-- as a credit of source "deed"); 0, none, for the rules already set.
ALTER TABLE points_rules ADD COLUMN points_per_good_deed BIGINT NOT NULL DEFAULT 0;
