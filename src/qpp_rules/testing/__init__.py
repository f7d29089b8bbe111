"""testing (work in progress)."""
