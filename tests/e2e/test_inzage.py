"""Right of access (AVG art. 15): everything the platform holds about one person, from every service, for the
person's gemeente only; each answer is itself in the processing log."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from werkkloket_deploy import inzage

from ..conftest import Stack
from .helpers import wait_for
from .test_een_houder import DEN_HAAG, plaats, registreer, toegewezen_aan
from .test_intake_toewijzing import nieuw_bsn

pytestmark = pytest.mark.integration


async def test_a_gemeente_gets_everything_every_service_holds_about_its_inhabitant(stack: Stack) -> None:
    urls = {s: stack.url(s) for s in stack.services}
    async with httpx.AsyncClient(timeout=15) as client:
        naam = f"Noor Inzage-{uuid4().hex[:8]}"
        a = await registreer(client, stack, naam=naam, bsn=nieuw_bsn())
        kandidaat = a["kandidaat_id"]
        bureau = await toegewezen_aan(client, stack, a)
        await plaats(client, stack, kandidaat, bureau, date.today())

        async def overal() -> bool | None:
            for s in ("plaatsing", "rapportage"):
                r = await client.get(f"{stack.url(s)}/api/v1/personen/{kandidaat}", headers=stack.auth(DEN_HAAG))
                if r.status_code != 200:
                    return None
            return True

        await wait_for(overal, what="the placement in plaatsing and rapportage")

    document = inzage.lees(urls, stack.token(DEN_HAAG), UUID(kandidaat))
    diensten = document["diensten"]
    assert set(diensten) == {"intake", "matching", "plaatsing", "rapportage"}
    (aanmelding,) = diensten["intake"]["tabellen"]["aanmeldingen"]
    assert aanmelding["kandidaat_id"] == kandidaat and aanmelding["naam"] == naam
    assert aanmelding["telefoon"] and aanmelding["email"]
    assert [t["doel"] for t in diensten["intake"]["tabellen"]["toestemmingen"]] == ["overdracht_uitzendbureau"]
    (toewijzing,) = diensten["matching"]["tabellen"]["toewijzingen"]
    assert toewijzing["uitzendbureau"] == bureau
    assert diensten["matching"]["tabellen"]["kandidaten"][0]["profiel"]["wensberoepen"] == ["4110", "4222"]
    (plaatsing,) = diensten["plaatsing"]["tabellen"]["plaatsingen"]
    assert plaatsing["werkgever"] == "Bakkerij Houtrust"
    assert diensten["rapportage"]["tabellen"]["funnel_kandidaten"][0]["kandidaat_id"] == kandidaat
    # The processing log's records about the person come with it (here: the BSN read at registration).
    assert "BSN gelezen" in {r["name"] for r in diensten["intake"]["verwerkingen"]}
    assert {r["data_subject_id"] for d in diensten.values() for r in d["verwerkingen"]} == {kandidaat}

    # Each service logs every answer, with the gemeente's machine client as the one who asked.
    def verstrekt(doc: dict[str, Any]) -> dict[str, list[str]]:
        return {
            d: [r["organisatie"] for r in inhoud["verwerkingen"] if r["name"] == "inzage verstrekt"]
            for d, inhoud in doc["diensten"].items()
        }

    voor, na = verstrekt(document), verstrekt(inzage.lees(urls, stack.token(DEN_HAAG), UUID(kandidaat)))
    assert {d: len(n) for d, n in na.items()} == {d: len(v) + 1 for d, v in voor.items()}
    assert {o for n in na.values() for o in n} == {DEN_HAAG}

    # Another gemeente learns nothing, not even that the person exists.
    with pytest.raises(inzage.Onbekend):
        inzage.lees(urls, stack.token("gemeente-delft"), UUID(kandidaat))
