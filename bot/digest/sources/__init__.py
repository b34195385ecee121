"""Research sources: each turns one outside service's payloads into `Item`s."""
