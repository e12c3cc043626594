"""An event type is accepted only from the service that owns it: the broker lets no other service write the
owner's topic, a copied assignment published on another service's topic is dead-lettered by every consumer, and
the agency it names gets no contact data."""

from __future__ import annotations

from uuid import uuid4

import httpx
import pytest
from aiokafka.errors import TopicAuthorizationFailedError
from werkkloket_contracts import DEAD_LETTERS, PLAATSINGEN, TOEWIJZINGEN, KandidaatToegewezen, encode, source_of
from werkkloket_deploy.bus.acls import WAARNEMER

from ..conftest import Stack
from .helpers import BusReader, ce_type_is, data_of, headers_of, producer, profiel, wait_for

ROTTERDAM = "gemeente-rotterdam"


async def contact_status(client: httpx.AsyncClient, stack: Stack, kandidaat: str, bureau: str) -> int:
    r = await client.get(f"{stack.url('intake')}/api/v1/kandidaten/{kandidaat}/contact", headers=stack.auth(bureau))
    return r.status_code


async def test_an_assignment_published_by_another_service_is_dead_lettered_and_grants_nothing(stack: Stack) -> None:
    toewijzingen = await BusReader(stack.infra.kafka(WAARNEMER), [TOEWIJZINGEN.name]).start()
    dlq = await BusReader(stack.infra.kafka(WAARNEMER), [DEAD_LETTERS.name]).start()
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
            assert await contact_status(client, stack, kandidaat, ander) == 404

            # The same assignment, naming the other agency, from plaatsing (which does not own the type): the
            # broker refuses it on werkkloket.toewijzingen, so plaatsing publishes it on its own topic.
            vervalst = KandidaatToegewezen.model_validate({**data_of(echt), "uitzendbureau": ander})
            record = encode(vervalst, source=source_of("plaatsing", ander), event_id=uuid4())
            headers = [(k, v.encode()) for k, v in record.headers.items()]
            p = await producer(stack.infra.kafka("plaatsing"))
            try:
                with pytest.raises(TopicAuthorizationFailedError):
                    await p.send_and_wait(TOEWIJZINGEN.name, record.value, key=record.key, headers=headers)
                await p.send_and_wait(PLAATSINGEN.name, record.value, key=record.key, headers=headers)
            finally:
                await p.stop()

            # matching and rapportage read werkkloket.plaatsingen: each dead-letters the forgery.
            dead = await dlq.until(lambda d: headers_of(d).get("ce_id") == record.headers["ce_id"], count=2)
            groups = {headers_of(d)["dlq_consumer_group"] for d in dead}
            assert groups == {"werkkloket-matching", "werkkloket-rapportage"}
            for d in dead:
                h = headers_of(d)
                assert h["dlq_reason_code"] == "foreign-producer"
                assert "type not owned by producer" in h["dlq_reason"]
                assert h["dlq_original_topic"] == PLAATSINGEN.name
            # Every consumer moved past it; the named agency still gets nothing, the real one still does.
            assert await contact_status(client, stack, kandidaat, ander) == 404
            assert await contact_status(client, stack, kandidaat, bureau) == 200
            r = await client.get(f"{stack.url('plaatsing')}/api/v1/kandidaten", headers=stack.auth(ander))
            assert all(k["kandidaat_id"] != kandidaat for k in r.json())
    finally:
        await toewijzingen.stop()
        await dlq.stop()
