"""Invariants of the committed demo fixtures (fixtures/*.json); no app needed."""
from __future__ import annotations

import base64
import binascii
import json
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from backend.services.identity.personal_id import PROVINCES, agrees_with  # noqa: E402

FIXTURES = ROOT / "fixtures"
FILES = ["population_register", "programmes", "beneficiary_register", "institutions",
         "institution_accounts", "eid_accounts", "staff_accounts"]
CASES = {"clean_bank_link", "clean_wallet_link", "holder_name_mismatch", "closed_account",
         "invalid_account", "wallet_other_person", "account_linked_elsewhere",
         "registers_disagree", "deceased", "level1", "has_payment_history",
         "authorised_person", "plain"}
AMOUNT_RANGES = {"pension": (2_500_000, 12_000_000), "merit": (2_055_000, 6_000_000),
                 "unemployment": (2_500_000, 6_000_000), "poor_household": (300_000, 900_000),
                 "social_allowance": (500_000, 1_500_000)}


@cache
def load(name: str):
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


@cache
def people() -> dict:
    return {p["personal_id"]: p for p in load("population_register")}


@cache
def accounts() -> dict:
    return {(a["institution"], a["account_number"]): a for a in load("institution_accounts")}


def citizens(case: str) -> list[dict]:
    return [e for e in load("eid_accounts") if e["case"] == case]


def account_of(citizen: dict) -> dict | None:
    link = citizen["payout_account"]
    return accounts().get((link["institution"], link["account_number"]))


def normalise(name: str) -> str:
    """Register name as a bank prints it: upper case, no diacritics, Đ -> D."""
    name = name.replace("Đ", "D").replace("đ", "d")
    name = "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c))
    return " ".join(name.upper().split())


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --- the registers -------------------------------------------------------------------------
def test_population_register():
    rows = load("population_register")
    assert len(rows) >= 500
    assert len(people()) == len(rows), "personal_ids must be unique"
    for p in rows:
        dob = date.fromisoformat(p["date_of_birth"])
        assert p["sex"] in ("male", "female") and p["province_code"] in PROVINCES
        assert 1930 <= dob.year <= 2006
        assert agrees_with(p["personal_id"], p["province_code"], p["sex"], dob), p
        assert isinstance(p["alive"], bool)
        if p["alive"]:
            assert p["date_of_death"] is None
        else:
            assert date.fromisoformat(p["date_of_death"]) > date(2020, 12, 31)
    assert any(not p["full_name"].isascii() for p in rows), "names need their diacritics"
    assert 0.01 <= sum(not p["alive"] for p in rows) / len(rows) <= 0.05
    nguyen = sum(p["full_name"].split()[0] == "Nguyễn" for p in rows) / len(rows)
    assert 0.30 <= nguyen <= 0.46


def test_programmes():
    assert [p["code"] for p in load("programmes")] == [
        "pension", "social_allowance", "merit", "unemployment", "poor_household"]
    assert all(p["name_vi"] and p["name_en"] for p in load("programmes"))


def test_beneficiary_register():
    rows = load("beneficiary_register")
    assert 350 <= len({b["personal_id"] for b in rows}) <= 450
    pairs = Counter((b["personal_id"], b["programme"]) for b in rows)
    assert max(pairs.values()) == 1, "nobody is in one programme twice"
    for b in rows:
        assert b["personal_id"] in people()
        amount = b["monthly_amount_vnd"]
        assert is_int(amount) and amount > 0 and amount % 1000 == 0, b
        low, high = AMOUNT_RANGES[b["programme"]]
        assert low <= amount <= high, b
        assert date.fromisoformat(b["since"]) <= date(2026, 12, 31)
        assert b["province_code"] in PROVINCES


def test_institutions():
    rows = load("institutions")
    by_code = {i["code"]: i for i in rows}
    assert len(by_code) == len(rows)
    assert by_code["VCB"]["bin"] == "970436" and by_code["VBSP"]["bin"] == "999888"
    assert by_code["VIETTELMONEY"]["kind"] == "mobile_money"
    assert by_code["MOBIFONEMONEY"]["bin"] is None
    for i in rows:
        assert i["kind"] in ("bank", "mobile_money") and i["name"] and i["short_name"]
        assert i["bin"] is None or (isinstance(i["bin"], str) and re.fullmatch(r"\d{6}", i["bin"]))


def test_institution_accounts():
    kinds = {i["code"]: i["kind"] for i in load("institutions")}
    rows = load("institution_accounts")
    assert len(accounts()) == len(rows), "(institution, account_number) must be unique"
    for a in rows:
        assert a["holder_personal_id"] in people()
        assert a["status"] in ("open", "closed")
        assert re.fullmatch(r"[A-Z]+( [A-Z]+)*", a["holder_name"]), a
        pattern = r"0\d{9}" if kinds[a["institution"]] == "mobile_money" else r"\d{10,14}"
        assert re.fullmatch(pattern, a["account_number"]), a


# --- the demo citizens ---------------------------------------------------------------------
def test_eid_accounts_refer_to_people():
    institutions = {i["code"]: i["kind"] for i in load("institutions")}
    rows = load("eid_accounts")
    assert len({e["personal_id"] for e in rows}) == len(rows)
    assert {e["case"] for e in rows} >= CASES
    for e in rows:
        person = people()[e["personal_id"]]
        assert e["full_name"] == person["full_name"]
        assert person["alive"] == (e["case"] != "deceased")
        assert e["password"] == "Demo@2026" and e["level"] in (1, 2)
        assert re.fullmatch(r"09\d{8}", e["phone"]) and e["note"].strip()
        link = e["payout_account"]
        if link is not None:
            assert institutions[link["institution"]] == link["kind"], e


@pytest.mark.parametrize("case,count", [("clean_bank_link", 2), ("level1", 2),
                                        ("has_payment_history", 2), ("authorised_person", 2)])
def test_case_counts(case, count):
    assert len(citizens(case)) == count


def test_totp_secrets():
    for row in load("eid_accounts") + load("staff_accounts"):
        secret = row["totp_secret"]
        assert len(secret) == 32 and re.fullmatch(r"[A-Z2-7]+", secret)
        try:
            base64.b32decode(secret)
        except binascii.Error:
            pytest.fail(f"not base32: {secret}")


def clean_link_holds(citizen: dict, kind: str) -> None:
    account = account_of(citizen)
    assert citizen["payout_account"]["kind"] == kind
    assert account and account["status"] == "open"
    assert account["holder_personal_id"] == citizen["personal_id"]
    assert account["holder_name"] == normalise(citizen["full_name"])


def test_clean_links():
    links = Counter((e["payout_account"]["institution"], e["payout_account"]["account_number"])
                    for e in load("eid_accounts") if e["payout_account"])
    for citizen in citizens("clean_bank_link") + citizens("registers_disagree"):
        clean_link_holds(citizen, "bank")
    for citizen in citizens("clean_wallet_link"):
        clean_link_holds(citizen, "mobile_money")
        assert citizen["payout_account"]["account_number"] == citizen["phone"]
    for citizen in citizens("clean_bank_link") + citizens("clean_wallet_link"):
        link = citizen["payout_account"]
        assert links[(link["institution"], link["account_number"])] == 1


def test_holder_name_mismatch():
    for citizen in citizens("holder_name_mismatch"):
        account = account_of(citizen)
        assert account["status"] == "open"
        assert account["holder_personal_id"] == citizen["personal_id"]
        assert account["holder_name"] != normalise(citizen["full_name"])
        assert set(account["holder_name"].split()) < set(normalise(citizen["full_name"]).split())


def test_closed_and_invalid_accounts():
    for citizen in citizens("closed_account"):
        assert account_of(citizen)["status"] == "closed"
    for citizen in citizens("invalid_account"):
        assert citizen["payout_account"]["kind"] == "bank" and account_of(citizen) is None


def test_wallet_other_person():
    for citizen in citizens("wallet_other_person"):
        account = account_of(citizen)
        assert citizen["payout_account"]["kind"] == "mobile_money" and account["status"] == "open"
        assert account["holder_personal_id"] != citizen["personal_id"]
        assert account["holder_personal_id"] in people()


def test_account_linked_elsewhere():
    history = citizens("has_payment_history")
    for citizen in citizens("account_linked_elsewhere"):
        clean_link_holds(citizen, "bank")
        assert any(h["payout_account"] == citizen["payout_account"] for h in history)


def test_has_payment_history():
    programmes = {(b["personal_id"], b["programme"]) for b in load("beneficiary_register")}
    for citizen in citizens("has_payment_history"):
        assert citizen["level"] == 2 and account_of(citizen)["status"] == "open"
        assert citizen["payout_account"]["kind"] == "bank"
        assert {(citizen["personal_id"], "pension"),
                (citizen["personal_id"], "social_allowance")} & programmes


def test_registers_disagree():
    for citizen in citizens("registers_disagree"):
        person = people()[citizen["personal_id"]]
        rows = [b for b in load("beneficiary_register")
                if b["personal_id"] == citizen["personal_id"]]
        assert rows and all((b["full_name"], b["date_of_birth"])
                            != (person["full_name"], person["date_of_birth"]) for b in rows)


def test_deceased():
    for citizen in citizens("deceased"):
        assert not people()[citizen["personal_id"]]["alive"] and citizen["level"] == 2
        assert account_of(citizen)["status"] == "open"


def test_level1_and_plain():
    beneficiaries = {b["personal_id"] for b in load("beneficiary_register")}
    for citizen in citizens("level1"):
        assert citizen["level"] == 1 and citizen["payout_account"] is None
    for citizen in citizens("plain"):
        assert citizen["level"] == 2 and citizen["payout_account"] is None
        assert citizen["personal_id"] in beneficiaries


def test_authorised_person_pair():
    elderly, relative = citizens("authorised_person")
    assert elderly["payout_account"] is None and elderly["level"] == 2
    clean_link_holds(relative, "bank")
    assert relative["personal_id"] in elderly["note"] and elderly["personal_id"] in relative["note"]
    assert elderly["personal_id"] in {b["personal_id"] for b in load("beneficiary_register")}


def test_staff_accounts():
    rows = {s["username"]: s for s in load("staff_accounts")}
    assert {u: s["roles"] for u, s in rows.items()} == {
        "reviewer1": ["reviewer"], "reviewer2": ["reviewer"],
        "supervisor1": ["reviewer", "supervisor"], "treasury1": ["treasury"],
        "payroll1": ["payroll"], "programmes1": ["programme_admin"], "officer1": ["officer"],
        "support1": ["support"]}
    assert all(s["password"] == "Staff@2026" and not s["full_name"].isascii()
               for s in rows.values())


def test_generator_reproduces_committed_files(tmp_path):
    subprocess.run([sys.executable, str(FIXTURES / "generate.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True, cwd=ROOT)
    for name in FILES:
        fresh = (tmp_path / f"{name}.json").read_bytes()
        assert fresh == (FIXTURES / f"{name}.json").read_bytes(), \
            f"{name}.json is stale: run python fixtures/generate.py"
