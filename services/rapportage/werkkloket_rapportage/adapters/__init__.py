"""Rapportage's adapters: its tables, how events become rows, the report queries, the programme file."""
