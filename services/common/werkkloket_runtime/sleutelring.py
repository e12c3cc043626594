"""Each person's data key, as a service holds it: read from the compacted werkkloket.sleutels topic, unwrapped with
the service's own wrapping key, kept in memory only, and forgotten at the person's tombstone (erasure).

Intake makes a person's data key, encrypts the person's fields on the bus under it (`versleutel`) and publishes it
wrapped for each service allowed to read them (`sleutelrecord`), before the events that need it. A service opens an
event's encrypted part with `Sleutelring.open`; a key it has not seen yet is waited for by reading the key topic up
to its current end (the key record was written before the event), so a key still missing after that belongs to a
person who is erased: the fields are unreadable, and the event is applied without them (as a replay will).

The reader has no consumer group and commits nothing: every instance reads the whole topic at start (compaction
keeps one record per living person) and follows it from there.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar
from uuid import UUID

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from pydantic import ValidationError
from tenacity import AsyncRetrying, RetryError, retry_if_result, stop_after_attempt, wait_fixed
from werkkloket_contracts import SLEUTELS, Persoonlijk, Persoonssleutel, Versleuteld

from .kafka import KafkaConnection
from .versleuteling import Ontsleutelfout, aad, ontsleutel, pak_uit, verpak, versleutel

log = logging.getLogger(__name__)

P = TypeVar("P", bound=Persoonlijk)


class Gewist(LookupError):
    """The person's key is gone (erased) or never reached this service: nothing of theirs can be written."""


def _verpak_aad(dienst: str, kandidaat_id: UUID) -> bytes:
    return aad("persoonssleutel", dienst, str(kandidaat_id))


def sleutelrecord(kandidaat_id: UUID, data_sleutel: bytes, ontvangers: Mapping[str, bytes]) -> bytes:
    """The value of the person's werkkloket.sleutels record: the data key wrapped for every receiving service."""
    verpakt = {
        dienst: base64.b64encode(verpak(kek, data_sleutel, _verpak_aad(dienst, kandidaat_id))).decode()
        for dienst, kek in sorted(ontvangers.items())
    }
    return Persoonssleutel(kandidaat_id=kandidaat_id, verpakt=verpakt).model_dump_json().encode()


def versleutel_met(data_sleutel: bytes, kandidaat_id: UUID, velden: Persoonlijk) -> Versleuteld:
    """The encrypted part of an event, under the person's data key, bound to the field and the person."""
    blob = versleutel(data_sleutel, velden.model_dump_json().encode(), aad(velden.veld, str(kandidaat_id)))
    return Versleuteld(data=base64.b64encode(blob).decode())


def open_met(data_sleutel: bytes, kandidaat_id: UUID, versleuteld: Versleuteld, soort: type[P]) -> P:
    """The encrypted part's fields; Ontsleutelfout when the key, the field or the person does not match."""
    blob = base64.b64decode(versleuteld.data)
    return soort.model_validate_json(ontsleutel(data_sleutel, blob, aad(soort.veld, str(kandidaat_id))))


class Sleutelring:
    """The data keys this service may use, by kandidaat_id (see the module's docstring)."""

    def __init__(self, dienst: str, kek: bytes, kafka: KafkaConnection | None) -> None:
        self.dienst = dienst
        self._kek = kek
        self._kafka = kafka
        self._sleutels: dict[UUID, bytes] = {}
        self._gewist: set[UUID] = set()
        self._reader: AIOKafkaConsumer | None = None
        self._partitions: list[TopicPartition] = []
        self._task: asyncio.Task[None] | None = None
        self._voortgang = asyncio.Condition()
        self.gelezen = 0

    # --- reading the key topic ---------------------------------------------------------------------------------

    def lees(self, record: ConsumerRecord[Any, Any]) -> None:
        """Apply one werkkloket.sleutels record: a key for this service, or a tombstone (erased)."""
        self.gelezen += 1
        try:
            kandidaat_id = UUID(bytes(record.key).decode())
        except (TypeError, ValueError):
            log.warning("werkkloket.sleutels: a record without a kandidaat_id key at offset %s", record.offset)
            return
        if record.value is None:
            self._sleutels.pop(kandidaat_id, None)
            self._gewist.add(kandidaat_id)
            return
        try:
            waarde = Persoonssleutel.model_validate_json(record.value)
            verpakt = waarde.verpakt.get(self.dienst)
            if verpakt is None or waarde.kandidaat_id != kandidaat_id:
                return  # not for this service
            sleutel = pak_uit(self._kek, base64.b64decode(verpakt), _verpak_aad(self.dienst, kandidaat_id))
        except (ValidationError, ValueError, Ontsleutelfout) as exc:
            # Only intake may write the topic (ACL): a record that does not open is logged, never used.
            log.warning("werkkloket.sleutels: a record for this service does not open (%s)", type(exc).__name__)
            return
        self._sleutels[kandidaat_id] = sleutel
        self._gewist.discard(kandidaat_id)

    async def start(self) -> None:
        """Read the whole topic (to its end at this moment), then follow it in the background."""
        if self._kafka is None:
            return
        reader = AIOKafkaConsumer(
            **self._kafka.client(),
            client_id=f"{self._kafka.username}-sleutels",
            group_id=None,  # every instance reads everything; nothing is committed
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level="read_uncommitted",  # intake's producer is idempotent, not transactional
            max_partition_fetch_bytes=4 * 1024 * 1024,
        )
        await reader.start()
        self._reader = reader
        partities = await self._partities(reader)
        self._partitions = [TopicPartition(SLEUTELS.name, p) for p in partities]
        reader.assign(self._partitions)
        await reader.seek_to_beginning(*self._partitions)
        self._task = asyncio.create_task(self._volg(reader), name=f"{self.dienst}-sleutelring")
        await self.bij()
        log.info("%s: %d person keys loaded", self.dienst, len(self._sleutels))

    @staticmethod
    async def _partities(reader: AIOKafkaConsumer) -> list[int]:
        """The topic's partitions, once the client's metadata knows them (retried for ~5 s; the topic exists:
        verify_topics checked it)."""

        async def bekend() -> list[int]:
            gevonden = sorted(reader.partitions_for_topic(SLEUTELS.name) or ())
            if not gevonden:
                await reader._client.force_metadata_update()
            return gevonden

        retrying = AsyncRetrying(
            stop=stop_after_attempt(50), wait=wait_fixed(0.1), retry=retry_if_result(lambda p: not p)
        )
        try:
            partities: list[int] = await retrying(bekend)
        except RetryError:
            raise RuntimeError(f"{SLEUTELS.name} has no partitions this service may read") from None
        return partities

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self._reader is not None:
            await self._reader.stop()
            self._reader = None
        self._sleutels.clear()

    async def _volg(self, reader: AIOKafkaConsumer) -> None:
        while True:
            try:
                batches = await reader.getmany(timeout_ms=500, max_records=5000)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("%s: reading werkkloket.sleutels failed; retrying", self.dienst)
                await asyncio.sleep(1.0)
                continue
            for records in batches.values():
                for record in records:
                    self.lees(record)
            async with self._voortgang:
                self._voortgang.notify_all()

    async def bij(self, timeout: float = 30.0) -> None:
        """Wait until everything on the topic at this moment has been read (TimeoutError after `timeout`)."""
        reader = self._reader
        if reader is None:
            return
        eind = await reader.end_offsets(self._partitions)
        async with asyncio.timeout(timeout), self._voortgang:
            # Checked under the condition's lock: the follower cannot notify between the check and the wait.
            while not all([await reader.position(tp) >= o for tp, o in eind.items()]):
                await self._voortgang.wait()

    # --- using the keys ----------------------------------------------------------------------------------------

    async def sleutel(self, kandidaat_id: UUID) -> bytes | None:
        """The person's data key; None when they are erased (or their key never reached this service)."""
        sleutel = self._sleutels.get(kandidaat_id)
        if sleutel is None and kandidaat_id not in self._gewist:
            await self.bij()
            sleutel = self._sleutels.get(kandidaat_id)
        return sleutel

    async def zorg_voor(self, kandidaat_ids: Iterable[UUID]) -> None:
        """Make sure every key of these persons that exists has been read (one wait for the whole lot), so that
        `open_bekend` answers for them as `open` would."""
        if any(k not in self._sleutels and k not in self._gewist for k in kandidaat_ids):
            await self.bij()

    def open_bekend(self, kandidaat_id: UUID, versleuteld: Versleuteld | None, soort: type[P]) -> P | None:
        """`open` without waiting: for handlers that cannot wait, after `zorg_voor` (the consumer does it)."""
        if versleuteld is None:
            return None
        if versleuteld.onversleuteld is not None:
            return soort.model_validate(versleuteld.onversleuteld)
        sleutel = self._sleutels.get(kandidaat_id)
        return None if sleutel is None else open_met(sleutel, kandidaat_id, versleuteld, soort)

    @property
    def gestart(self) -> bool:
        return self._reader is not None

    def heeft(self, kandidaat_id: UUID) -> bool:
        """Whether this service holds the person's key now."""
        return kandidaat_id in self._sleutels

    def vergeet(self, kandidaat_id: UUID) -> None:
        """Drop the person's key now (erasure; the tombstone that follows does the same)."""
        self._sleutels.pop(kandidaat_id, None)
        self._gewist.add(kandidaat_id)

    async def open(self, kandidaat_id: UUID, versleuteld: Versleuteld | None, soort: type[P]) -> P | None:
        """The encrypted part's fields, or None: absent, or unreadable because the person is erased."""
        if versleuteld is None:
            return None
        if versleuteld.onversleuteld is not None:  # upcast from a version that carried them in clear
            return soort.model_validate(versleuteld.onversleuteld)
        sleutel = await self.sleutel(kandidaat_id)
        if sleutel is None:
            return None
        return open_met(sleutel, kandidaat_id, versleuteld, soort)

    async def versleutel(self, kandidaat_id: UUID, velden: Persoonlijk) -> Versleuteld:
        """Encrypt fields about the person for the bus; Gewist when their key is gone."""
        sleutel = await self.sleutel(kandidaat_id)
        if sleutel is None:
            raise Gewist(f"no key for {kandidaat_id}: erased")
        return versleutel_met(sleutel, kandidaat_id, velden)
