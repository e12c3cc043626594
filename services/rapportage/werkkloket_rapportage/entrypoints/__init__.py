"""Rapportage's entrypoints: the HTTP API, the dashboard page and the event subscribers."""
