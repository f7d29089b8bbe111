"""election (work in progress)."""
