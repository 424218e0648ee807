"""Developer tools of migrate-session (not installed with the package)."""
