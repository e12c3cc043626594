"""Typed domain errors: plain Python, raised by domains and use cases, mapped to problem+json in one place
(`http.install_problem_handlers`)."""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """A request the domain refuses; `status` and `title` are how HTTP answers it."""

    status: ClassVar[int] = 409
    title: ClassVar[str] = "Conflict"

    def __init__(self, reden: str, **extra: Any) -> None:
        super().__init__(reden)
        self.reden = reden
        self.extra = extra


class NotFound(DomainError):
    status = 404
    title = "Niet gevonden"


class Forbidden(DomainError):
    status = 403
    title = "Geen toegang"


class Conflict(DomainError):
    status = 409
    title = "Conflict"


class Invalid(DomainError):
    """One field of the input is wrong (422, naming the field)."""

    status = 422
    title = "Ongeldige invoer"

    def __init__(self, veld: str, reden: str) -> None:
        super().__init__(f"Ongeldige of ontbrekende velden: {veld}", invalid_params=[{"name": veld, "reason": reden}])
        self.veld = veld
