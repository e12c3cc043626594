"""Intake's domain: gemeenten, a jobseeker's profile, registrations and their screening. Plain Python, no I/O."""
