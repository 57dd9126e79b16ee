"""The rules layer: the registry of checks, the engine, diagnostics."""
