"""Intake's use cases: each loads through the adapters, lets the domain decide, writes, and queues its events."""
