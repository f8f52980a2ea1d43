-- A store's rehearsal of a future date's rules (issue 19): the date, and whether what it
-- would refuse is reported (a response header) or enforced. Off (NULL) by default.
ALTER TABLE stores ADD COLUMN rehearsal_at BIGINT;
ALTER TABLE stores ADD COLUMN rehearsal_mode TEXT;
