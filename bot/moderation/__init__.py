"""moderation core: never imports discord."""
