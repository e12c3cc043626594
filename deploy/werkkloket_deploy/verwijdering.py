"""`werkkloket verwijder`: erase everything the platform holds about one person (AVG art. 17) and collect every
service's receipt into one document; `demo --scenario verwijdering` shows it on a person of its own.

Intake erases at once and answers the erasure's id; every other service does its part from the event and
answers its receipt at `GET /api/v1/verwijderingen/{verzoek_id}` (404 until it has).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any, TextIO
from uuid import UUID, uuid4

import httpx

DIENSTEN = ("intake", "matching", "plaatsing", "rapportage")


class Onbekend(LookupError):
    """No registration with this id for this gemeente."""


def verwijder(urls: Mapping[str, str], token: str, aanmelding_id: UUID, *, wacht: float = 30.0) -> dict[str, Any]:
    """Erase the registration's person and wait (up to `wacht` seconds) for every service's receipt:
    {verzoek_id, kandidaat_id, gemeente, datum, compleet, diensten: {service: receipt}}."""
    with httpx.Client(timeout=30, headers={"Authorization": f"Bearer {token}"}) as client:
        r = client.post(f"{urls['intake']}/api/v1/aanmeldingen/{aanmelding_id}/verwijdering")
        if r.status_code == 404:
            raise Onbekend(f"geen aanmelding {aanmelding_id}")
        r.raise_for_status()
        gestart = r.json()
        diensten = bewijzen(client, urls, gestart["verzoek_id"], wacht)
    return {
        "verzoek_id": gestart["verzoek_id"],
        "kandidaat_id": gestart["kandidaat_id"],
        "gemeente": gestart["gemeente"],
        "datum": gestart["datum"],
        "compleet": set(diensten) == {d for d in DIENSTEN if d in urls},
        "diensten": diensten,
    }


def bewijzen(client: httpx.Client, urls: Mapping[str, str], verzoek_id: str, wacht: float) -> dict[str, Any]:
    """Every service's receipt that is there within `wacht` seconds."""
    diensten: dict[str, Any] = {}
    tot = time.monotonic() + wacht
    while True:
        for naam in (d for d in DIENSTEN if d in urls and d not in diensten):
            r = client.get(f"{urls[naam]}/api/v1/verwijderingen/{verzoek_id}")
            if r.status_code == 200:
                diensten[naam] = r.json()
            elif r.status_code != 404:
                r.raise_for_status()
        if len(diensten) == len([d for d in DIENSTEN if d in urls]) or time.monotonic() > tot:
            return diensten
        time.sleep(0.2)


def demo(urls: Mapping[str, str], tokens: Callable[[str], str], out: TextIO) -> bool:
    """Register a person in Den Haag, let an agency place them, erase them, and print each service's receipt and
    what the right of access finds afterwards."""
    gemeente, auth = "gemeente-den-haag", {"Authorization": f"Bearer {tokens('gemeente-den-haag')}"}
    vandaag = date.today()
    out.write("\n=== verwijdering (AVG art. 17) ===\n")
    with httpx.Client(timeout=30) as client:
        r = client.post(
            f"{urls['intake']}/api/v1/aanmeldingen",
            json={
                "naam": f"Demi Wissel-{uuid4().hex[:6]}",
                "telefoon": "0612345678",
                "email": f"demi.{uuid4().hex[:8]}@voorbeeld.nl",
                "postcode": "2512 AB",
                "gemeente": "GM0518",
                "opleidingsniveau": "mbo3",
                "werkervaring": [
                    {"beroep": "4110", "van": "2016-01-01", "tot": (vandaag - timedelta(days=40)).isoformat()}
                ],
                "wensberoepen": ["4110"],
                "werkloos_sinds": (vandaag - timedelta(days=39)).isoformat(),
                "uitkering": "ww",
                "skills": ["klantcontact"],
                "toestemming": {
                    "gegeven_op": f"{vandaag.isoformat()}T09:00:00+01:00",
                    "door": "consulent demo",
                    "doel": "bemiddeling naar werk via Werkkloket",
                },
            },
            headers=auth,
        )
        r.raise_for_status()
        a = r.json()
        kandidaat = a["kandidaat_id"]
        bureau = _wacht(lambda: client.get(f"{urls['intake']}/api/v1/aanmeldingen/{a['id']}", headers=auth).json()
                        .get("uitzendbureau"))  # fmt: skip
        plaatsing = f"{urls['plaatsing']}/api/v1/kandidaten/{kandidaat}"
        bureau_auth = {"Authorization": f"Bearer {tokens(bureau)}"}
        _wacht(lambda: client.post(f"{plaatsing}/eerste-contact", json={"datum": vandaag.isoformat()},
                                   headers=bureau_auth).status_code == 201 or None)  # fmt: skip
        werk = {"werkgever": "Bakkerij Houtrust", "startdatum": vandaag.isoformat(), "uren_per_week": 32}
        client.post(f"{plaatsing}/plaatsingen", json=werk, headers=bureau_auth).raise_for_status()
        out.write(f"aangemeld en geplaatst door {bureau}: kandidaat {kandidaat}\n")
    document = verwijder(urls, tokens(gemeente), UUID(a["id"]))
    out.write(f"verwijderd (verzoek {document['verzoek_id']}); bewijs per dienst:\n")
    for naam, bewijs in document["diensten"].items():
        rijen = ", ".join(f"{t} {n}" for t, n in sorted(bewijs["verwijderd"].items())) or "geen rijen"
        leeg = (
            "; geanonimiseerd: "
            + ", ".join(f"{t} ({', '.join(k)})" for t, k in sorted(bewijs["geanonimiseerd"].items()))
            if bewijs["geanonimiseerd"]
            else ""
        )
        sleutel = "sleutel vernietigd" if bewijs["sleutel_vernietigd"] else "SLEUTEL NOG AANWEZIG"
        out.write(f"  {naam:<10} {rijen}{leeg}; {sleutel}\n")
    with httpx.Client(timeout=30, headers=auth) as client:
        gevonden = {n: client.get(f"{urls[n]}/api/v1/personen/{kandidaat}").status_code for n in DIENSTEN}
    out.write("inzage daarna (404 = niets meer): " + ", ".join(f"{n} {s}" for n, s in gevonden.items()) + "\n")
    ok = (
        document["compleet"]
        and all(b["sleutel_vernietigd"] for b in document["diensten"].values())
        and all(gevonden[n] == 404 for n in ("intake", "matching", "plaatsing"))
    )
    out.write("alles verwijderd, alleen anonieme tellingen over\n" if ok else "VERWIJDERING ONVOLLEDIG\n")
    return ok


def _wacht(probeer: Callable[[], Any], wacht: float = 30.0) -> Any:
    tot = time.monotonic() + wacht
    while (uit := probeer()) is None:
        if time.monotonic() > tot:
            raise TimeoutError("the stack did not answer in time")
        time.sleep(0.2)
    return uit
