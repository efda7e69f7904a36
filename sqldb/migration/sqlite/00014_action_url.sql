-- +goose Up
-- The page where the person acts on a failure that needs them (woob's
-- ActionNeeded URL…), kept while the connection is in "error" from it;
-- its message is in step_message.
ALTER TABLE connections ADD COLUMN action_url TEXT;

-- +goose Down
ALTER TABLE connections DROP COLUMN action_url;
