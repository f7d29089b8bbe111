"""analysis (work in progress)."""
