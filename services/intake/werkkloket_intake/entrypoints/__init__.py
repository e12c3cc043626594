"""How intake is reached: its HTTP API and its event subscribers."""
