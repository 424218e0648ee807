"""The real-code checker (issue 10): see docs/real-code.md. Run it with ``nox -s realcode``."""
