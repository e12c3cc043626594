"""Benefits saved: an estimate, with the assumptions behind it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Besparing:
    """Benefits saved, as an estimate: benefit months avoided × the monthly norm amount."""

    uitkeringsmaanden: int
    personen: int  # the candidates the months are counted over
    normbedrag: Decimal
    bedrag: Decimal
    aannames: tuple[str, ...]


def besparing(uitkeringsmaanden: int, normbedrag: Decimal, peildatum: date, personen: int = 0) -> Besparing:
    bedrag = (normbedrag * uitkeringsmaanden).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Besparing(
        uitkeringsmaanden=uitkeringsmaanden,
        personen=personen,
        normbedrag=normbedrag,
        bedrag=bedrag,
        aannames=(
            "alleen bevestigde plaatsingen van kandidaten met een bijstandsuitkering tellen mee",
            "per plaatsing tellen de hele maanden van de startdatum tot het einde van het werk, "
            f"de herinstroom of de peildatum {peildatum.isoformat()}, wat het eerst komt",
            f"elke vermeden uitkeringsmaand is €{normbedrag} waard (de bijstandsnorm die is ingesteld); "
            "uitvoeringskosten, toeslagen en een gedeeltelijke uitkering naast werk zijn niet meegerekend",
            "een schatting: niet bekend is of de kandidaat zonder bemiddeling ook werk had gevonden",
        ),
    )
