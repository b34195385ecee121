"""digest core: never imports discord."""
