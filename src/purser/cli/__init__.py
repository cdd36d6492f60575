"""The `purser` command line."""
