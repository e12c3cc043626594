"""Rapportage's domain: the funnel, the question a report answers, the programme's settings, benefits saved
and werk naar werk. Plain Python: no I/O, no framework."""
