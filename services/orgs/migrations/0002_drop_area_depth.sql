-- depth repeated what kind and path already say, and nothing read it.
ALTER TABLE areas DROP COLUMN depth;
