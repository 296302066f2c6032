"""A simulated ID card chip: the "chip data" is the card's personal ID, and the
card names whoever the simulated population register holds under it."""
from __future__ import annotations

from backend import db
from backend.integrations.id_card_chip import CardHolder
from backend.models import SimPerson


class SimulatedIdCardChip:
    def read(self, chip_data: str) -> CardHolder | None:
        person = db.session.get(SimPerson, chip_data.strip())
        if person is None:
            return None
        return CardHolder(person.personal_id, person.full_name, person.date_of_birth)
