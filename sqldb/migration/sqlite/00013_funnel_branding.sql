-- +goose Up
-- Branding of an application's funnel (app set --display-name …), all
-- optional; and the message key a connector narrates its sync with.
ALTER TABLE apps ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
ALTER TABLE apps ADD COLUMN logo_url TEXT NOT NULL DEFAULT '';
ALTER TABLE apps ADD COLUMN terms_url TEXT NOT NULL DEFAULT '';
ALTER TABLE apps ADD COLUMN privacy_url TEXT NOT NULL DEFAULT '';
ALTER TABLE apps ADD COLUMN accent_color TEXT NOT NULL DEFAULT '';
ALTER TABLE connections ADD COLUMN progress_key TEXT NOT NULL DEFAULT '';
ALTER TABLE connections ADD COLUMN progress_count INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE connections DROP COLUMN progress_count;
ALTER TABLE connections DROP COLUMN progress_key;
ALTER TABLE apps DROP COLUMN accent_color;
ALTER TABLE apps DROP COLUMN privacy_url;
ALTER TABLE apps DROP COLUMN terms_url;
ALTER TABLE apps DROP COLUMN logo_url;
ALTER TABLE apps DROP COLUMN display_name;
