"""An event type is accepted only from the service that owns it: a copied assignment published as another
service is dead-lettered by every consumer, and the agency it names gets no contact data."""

from __future__ import annotations

from uuid import uuid4

import httpx
from werkkloket_contracts import DEAD_LETTERS, TOEWIJZINGEN, KandidaatToegewezen, encode, source_of

from ..conftest import Stack
from .helpers import BusReader, ce_type_is, data_of, headers_of, producer, profiel, wait_for

ROTTERDAM = "gemeente-rotterdam"


async def contact_status(client: httpx.AsyncClient, stack: Stack, kandidaat: str, bureau: str) -> int:
    r = await client.get(f"{stack.url('intake')}/api/v1/kandidaten/{kandidaat}/contact", headers=stack.auth(bureau))
    return r.status_code


async def test_an_assignment_published_by_another_service_is_dead_lettered_and_grants_nothing(stack: Stack) -> None:
    toewijzingen = await BusReader(stack.infra.kafka_bootstrap_servers, [TOEWIJZINGEN.name]).start()
    dlq = await BusReader(stack.infra.kafka_bootstrap_servers, [DEAD_LETTERS.name]).start()
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            body = profiel(gemeente="GM0599", postcode="3011 AA", wensberoepen=["8322"])
            r = await client.post(
                f"{stack.url('intake')}/api/v1/aanmeldingen", json=body, headers=stack.auth(ROTTERDAM)
            )
            assert r.status_code == 201, r.text
            kandidaat = r.json()["kandidaat_id"]
            (echt,) = await toewijzingen.until(ce_type_is("KandidaatToegewezen", kandidaat), timeout=30)
            bureau = data_of(echt)["uitzendbureau"]
            ander = "maasvlakte-personeel" if bureau != "maasvlakte-personeel" else "bouwkracht-zuidholland"

            async def holder_served() -> bool:
                return await contact_status(client, stack, kandidaat, bureau) == 200

            await wait_for(holder_served, timeout=30, what="intake to name the assigned agency")
            assert await contact_status(client, stack, kandidaat, ander) == 403

            # The same assignment, naming the other agency, published as plaatsing (which does not own the type).
            vervalst = KandidaatToegewezen.model_validate({**data_of(echt), "uitzendbureau": ander})
            record = encode(vervalst, source=source_of("plaatsing", ander), event_id=uuid4())
            p = await producer(stack.infra.kafka_bootstrap_servers)
            try:
                await p.send_and_wait(
                    record.topic,
                    record.value,
                    key=record.key,
                    headers=[(k, v.encode()) for k, v in record.headers.items()],
                )
            finally:
                await p.stop()

            # intake, plaatsing and rapportage read werkkloket.toewijzingen: each dead-letters the forgery.
            dead = await dlq.until(lambda d: headers_of(d).get("ce_id") == record.headers["ce_id"], count=3)
            groups = {headers_of(d)["dlq_consumer_group"] for d in dead}
            assert groups == {"werkkloket-intake", "werkkloket-plaatsing", "werkkloket-rapportage"}
            for d in dead:
                h = headers_of(d)
                assert h["dlq_reason_code"] == "foreign-producer"
                assert "type not owned by producer" in h["dlq_reason"]
                assert h["dlq_original_topic"] == TOEWIJZINGEN.name
            # Every consumer moved past it; the named agency still gets nothing, the real one still does.
            assert await contact_status(client, stack, kandidaat, ander) == 403
            assert await contact_status(client, stack, kandidaat, bureau) == 200
            r = await client.get(f"{stack.url('plaatsing')}/api/v1/kandidaten", headers=stack.auth(ander))
            assert all(k["kandidaat_id"] != kandidaat for k in r.json())
    finally:
        await toewijzingen.stop()
        await dlq.stop()
