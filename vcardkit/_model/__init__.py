"""The model layer: Contact and its parts, and their mapping to cards and JSON."""
