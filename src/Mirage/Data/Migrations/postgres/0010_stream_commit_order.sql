-- Event positions no longer come from the clock row, whose row lock made every event-writing transaction on every
-- node commit one at a time: they come from each transaction's own id (see StreamOrder). Dropping the column makes
-- a node still running the old code fail to record events rather than mix the two numberings.
ALTER TABLE stream_clock DROP COLUMN position;
