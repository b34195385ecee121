-- Flags remember where the text came from: a message, or a command such as /ask.
ALTER TABLE flags ADD COLUMN origin TEXT NOT NULL DEFAULT 'message';
