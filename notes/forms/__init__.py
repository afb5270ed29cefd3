"""Forms of the wiki, one module per domain."""
