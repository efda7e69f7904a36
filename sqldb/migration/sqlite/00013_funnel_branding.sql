-- +goose Up
-- Branding of an application's funnel (app set --display-name …), all
-- optional.
ALTER TABLE apps ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
ALTER TABLE apps ADD COLUMN logo_url TEXT NOT NULL DEFAULT '';
ALTER TABLE apps ADD COLUMN terms_url TEXT NOT NULL DEFAULT '';
ALTER TABLE apps ADD COLUMN privacy_url TEXT NOT NULL DEFAULT '';
ALTER TABLE apps ADD COLUMN accent_color TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE apps DROP COLUMN accent_color;
ALTER TABLE apps DROP COLUMN privacy_url;
ALTER TABLE apps DROP COLUMN terms_url;
ALTER TABLE apps DROP COLUMN logo_url;
ALTER TABLE apps DROP COLUMN display_name;
