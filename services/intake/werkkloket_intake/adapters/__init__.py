"""Intake's storage: its tables, and the queries the use cases run on a connection."""
