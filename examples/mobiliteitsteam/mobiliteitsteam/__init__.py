"""A regional mobility team's own view of Werkkloket: built only from the events on the bus."""
