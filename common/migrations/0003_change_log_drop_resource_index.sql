-- No query reads the change log by record yet, and every index costs each
-- write. The record's history query (audit by record) will bring its own
-- index, shaped for it, when it exists.
ALTER TABLE change_log DROP INDEX k_change_log_resource;
