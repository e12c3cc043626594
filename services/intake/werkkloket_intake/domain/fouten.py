"""Refusals of input that name more than one field, or that say more than which field is wrong."""

from __future__ import annotations

from werkkloket_runtime.errors import DomainError, Invalid


# Checked alone, mypy sees the runtime (no py.typed) as Any.
class OngeldigeVelden(Invalid):
    """Fields of the input are wrong (422): each named in `invalid_params`, the detail in words."""

    def __init__(self, detail: str, velden: list[dict[str, str]]) -> None:
        DomainError.__init__(self, detail, invalid_params=velden)
        self.veld = velden[0]["name"]

    @classmethod
    def per_veld(cls, velden: list[dict[str, str]]) -> OngeldigeVelden:
        """The usual detail: which fields are wrong."""
        return cls(f"Ongeldige of ontbrekende velden: {', '.join(v['name'] for v in velden)}", velden)
