"""registration (work in progress)."""
