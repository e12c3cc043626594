"""Plaatsing's use cases: each takes a unit of work and a command."""
