"""The command-line interface (the interfaces layer)."""
