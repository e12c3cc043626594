"""Each endpoint declares, next to its route, who may call it and how its object is scoped (`@toegang`).

The services' routers use `BeveiligdeRoute`, which refuses an endpoint without a declaration when the router is
built, checks the caller's role before anything else runs (401 without a valid token, 403 for another role), and
publishes the declaration in the OpenAPI document as `x-toegang`. Whether the object itself is the caller's (404
when it is not: existence does not leak) is the handler's query, named by `scope`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar

from fastapi import Depends, Request
from fastapi.routing import APIRoute
from werkkloket_contracts.referentie import verwerking

from .http import Problem
from .identity import BearerCredentials, Organisatie, Rol, identify
from .logboek import Actor, Verantwoording

# How the object of an endpoint is scoped to its caller:
# - gemeente: a person or setting of one of the caller's gemeenten (UWV: any, it registers nationally);
# - uitzendbureau: a candidate or placement the caller's agency holds;
# - werkgever: a report, proposal or mobility of the caller's employer (a gemeente's WSP or a mobility team: of its
#   arbeidsmarktregio's);
# - paspoort: the worker with its key (no token), or a caller of the named roles the worker shared it with;
# - eigen: a list of the caller's own objects only;
# - cijfers: figures, the caller's own exactly, anyone else's with small cells suppressed;
# - beheer: the platform's own operations (no object of a party);
# - openbaar: no token (the dashboard's page and assets).
Scope = Literal["gemeente", "uitzendbureau", "werkgever", "paspoort", "eigen", "cijfers", "beheer", "openbaar"]
OPENAPI_KEY = "x-toegang"

E = TypeVar("E", bound=Callable[..., Any])


@dataclass(frozen=True)
class Toegang:
    """Who may call an endpoint, how its object is scoped, and the processing activities (ids in the register of
    processing activities) its records in the processing log are made under: the purpose is the endpoint's, never
    the caller's."""

    rollen: tuple[Rol, ...]
    scope: Scope
    verwerkingen: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.scope == "openbaar" and self.rollen:
            raise ValueError("a public endpoint names no roles")
        if self.scope not in ("openbaar", "paspoort") and not self.rollen:
            raise ValueError("an endpoint names the roles that may call it, or is public")
        for activiteit in self.verwerkingen:
            verwerking(activiteit)  # a KeyError for an id not in the register

    def beschrijving(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rollen": list(self.rollen), "scope": self.scope}
        if self.verwerkingen:
            out["verwerkingen"] = [verwerking(a).uri for a in self.verwerkingen]
        return out

    async def guard(self, request: Request, credentials: BearerCredentials) -> None:
        request.state.toegang = self
        if self.scope == "openbaar" or (self.scope == "paspoort" and credentials is None):
            return  # public, or the worker's key (checked by the handler)
        org = await identify(request, credentials)
        if org.rol not in self.rollen:
            raise Problem(403, "Geen toegang", f"Rol {org.rol!r} mag dit niet")


def toegang(*rollen: Rol, scope: Scope, verwerkingen: tuple[str, ...] = ()) -> Callable[[E], E]:
    """Declare who may call the endpoint below, how its object is scoped, and under which registered processing
    activities it logs."""
    declaration = Toegang(tuple(rollen), scope, verwerkingen)

    def mark(endpoint: E) -> E:
        endpoint.__toegang__ = declaration  # type: ignore[attr-defined]
        return endpoint

    return mark


def declaration_of(endpoint: Callable[..., Any]) -> Toegang | None:
    found: Toegang | None = getattr(endpoint, "__toegang__", None)
    return found


class BeveiligdeRoute(APIRoute):
    """A route whose endpoint carries a `@toegang` declaration; the declaration guards it and is documented."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        declaration = declaration_of(endpoint)
        if declaration is None:
            raise TypeError(f"{path} ({endpoint.__name__}) has no access declaration: add @toegang(...)")
        kwargs["dependencies"] = [Depends(declaration.guard), *(kwargs.get("dependencies") or [])]
        kwargs["openapi_extra"] = {**(kwargs.get("openapi_extra") or {}), OPENAPI_KEY: declaration.beschrijving()}
        super().__init__(path, endpoint, **kwargs)


def _aanroeper(request: Request) -> Organisatie:
    org: Organisatie | None = getattr(request.state, "organisatie", None)
    if org is None:  # only an endpoint declared public has no caller
        raise Problem(401, "Niet geauthenticeerd", "Een toegangstoken is nodig: Authorization: Bearer <token>")
    return org


# The caller of a guarded endpoint (identified by its route's guard, which runs first).
Aanroeper = Annotated[Organisatie, Depends(_aanroeper)]


def _verantwoording(request: Request) -> Verantwoording:
    declared: Toegang = request.state.toegang
    org: Organisatie | None = getattr(request.state, "organisatie", None)
    if org is not None:
        actor = Actor.van(org)
    elif declared.scope == "paspoort":
        actor = Actor.werknemer_met_sleutel()
    else:
        actor = Actor.van(_aanroeper(request))  # 401
    return Verantwoording(request.app.state.logboek, actor, declared.verwerkingen)


# The processing log of a request: its caller, its endpoint's declared activities.
Verantwoord = Annotated[Verantwoording, Depends(_verantwoording)]

__all__ = [
    "OPENAPI_KEY",
    "Aanroeper",
    "BeveiligdeRoute",
    "Scope",
    "Toegang",
    "Verantwoord",
    "Verantwoording",
    "declaration_of",
    "toegang",
]
