"""Loading fixtures/: the simulated outside world and the demo accounts.

Loading is idempotent: rows whose key is already present are left alone, so
`ssa seed` can run on every start.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import insert, select

from backend import db
from backend.models import (
    EidAccount,
    Institution,
    Programme,
    SimBeneficiary,
    SimInstitutionAccount,
    SimPerson,
    StaffAccount,
)
from backend.services.demo import links
from backend.services.identity import passwords
from backend.services.shared import secret_box


@dataclass(frozen=True)
class SeedReport:
    inserted: dict[str, int]

    def __str__(self) -> str:
        return ", ".join(f"{table}: {count} new" for table, count in self.inserted.items())


def _read(fixtures_dir: Path, name: str) -> list[dict]:
    return json.loads((fixtures_dir / name).read_text(encoding="utf-8"))


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _insert_missing(model, key: tuple[str, ...], rows: list[dict]) -> int:
    columns = [getattr(model, name) for name in key]
    present = set(db.session.execute(select(*columns)))
    new_rows = [row for row in rows if tuple(row[name] for name in key) not in present]
    if new_rows:
        db.session.execute(insert(model), new_rows)
    return len(new_rows)


def load(fixtures_dir: Path, now) -> SeedReport:
    people = _read(fixtures_dir, "population_register.json")
    people_by_id = {person["personal_id"]: person for person in people}
    inserted = {
        "institutions": _insert_missing(Institution, ("code",),
                                        _read(fixtures_dir, "institutions.json")),
        "programmes": _insert_missing(Programme, ("code",),
                                      _read(fixtures_dir, "programmes.json")),
        "population_register": _insert_missing(SimPerson, ("personal_id",), [
            {**person, "date_of_birth": _date(person["date_of_birth"]),
             "date_of_death": _date(person["date_of_death"])} for person in people]),
        "beneficiary_register": _insert_missing(SimBeneficiary, ("personal_id", "programme"), [
            {**entry, "date_of_birth": _date(entry["date_of_birth"]),
             "since": _date(entry["since"])}
            for entry in _read(fixtures_dir, "beneficiary_register.json")]),
        "institution_accounts": _insert_missing(
            SimInstitutionAccount, ("institution", "account_number"),
            _read(fixtures_dir, "institution_accounts.json")),
        "eid_accounts": load_eid_accounts(fixtures_dir, people_by_id, now),
        "staff_accounts": _insert_missing(StaffAccount, ("username",), [
            {"username": staff["username"], "full_name": staff["full_name"],
             "roles": staff["roles"], "password_hash": passwords.hash_password(staff["password"]),
             "totp_secret_encrypted": secret_box.encrypt(staff["totp_secret"]),
             "created_at": now}
            for staff in _read(fixtures_dir, "staff_accounts.json")]),
    }
    db.session.commit()
    inserted["demo_active_links"] = links.load(fixtures_dir, now)
    return SeedReport(inserted)


def load_eid_accounts(fixtures_dir: Path, people_by_id: dict[str, dict], now) -> int:
    present = set(db.session.scalars(select(EidAccount.personal_id)))
    rows = []
    passcode_hashes: dict[str, str] = {}  # one argon2 run per distinct demo passcode
    for demo in _read(fixtures_dir, "eid_accounts.json"):
        if demo["passcode"] not in passcode_hashes:
            passcode_hashes[demo["passcode"]] = passwords.hash_password(demo["passcode"])
        if demo["personal_id"] in present:
            continue
        person = people_by_id.get(demo["personal_id"], {})
        rows.append({
            "personal_id": demo["personal_id"], "full_name": demo["full_name"],
            "date_of_birth": _date(person.get("date_of_birth")), "phone": demo["phone"],
            "password_hash": passwords.hash_password(demo["password"]), "ial": demo["level"],
            "totp_secret_encrypted": secret_box.encrypt(demo["totp_secret"]),
            "passcode_hash": passcode_hashes[demo["passcode"]], "created_at": now})
    if rows:
        db.session.execute(insert(EidAccount), rows)
    return len(rows)


def cash_waiting(fixtures_dir: Path) -> list[str]:
    """The demo citizens who have not yet collected the last simulated month's cash."""
    return [demo["personal_id"] for demo in _read(fixtures_dir, "eid_accounts.json")
            if demo.get("cash_waiting")]


def is_empty() -> bool:
    return db.session.scalar(select(EidAccount.id).limit(1)) is None
