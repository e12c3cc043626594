"""`werkkloket inzage`: everything the platform holds about one person, from every service, as one JSON document
(AVG art. 15). Each service answers for itself, to the person's gemeente only."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import httpx


class Onbekend(LookupError):
    """No service holds anything about the person for this gemeente."""


def lees(urls: Mapping[str, str], token: str, kandidaat_id: UUID) -> dict[str, Any]:
    """{kandidaat_id, opgevraagd_op, diensten: {service: {tabellen, verwerkingen}}}; a service that holds nothing
    about the person (404) is left out."""
    diensten: dict[str, Any] = {}
    with httpx.Client(timeout=30, headers={"Authorization": f"Bearer {token}"}) as client:
        for naam, url in urls.items():
            response = client.get(f"{url}/api/v1/personen/{kandidaat_id}")
            if response.status_code == 404:
                continue
            response.raise_for_status()
            antwoord = response.json()
            diensten[naam] = {"tabellen": antwoord["tabellen"], "verwerkingen": antwoord["verwerkingen"]}
    if not diensten:
        raise Onbekend(f"geen gegevens over {kandidaat_id}")
    return {
        "kandidaat_id": str(kandidaat_id),
        "opgevraagd_op": datetime.now(UTC).isoformat(),
        "diensten": diensten,
    }
