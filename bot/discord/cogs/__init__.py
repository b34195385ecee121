"""One extension per feature, each loaded by the client in setup_hook."""
