"""faq core: never imports discord."""
