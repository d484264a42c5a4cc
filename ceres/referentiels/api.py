"""Public open-data JSON endpoints of the référentiels (no login, read-only)."""
