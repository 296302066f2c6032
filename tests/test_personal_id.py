"""Personal ID numbers: every part checked, with a reason the citizen can act on."""
from __future__ import annotations

from datetime import date

import pytest

from backend.services.identity.personal_id import InvalidPersonalId, agrees_with, compose, parse


@pytest.mark.parametrize("value, reason", [
    ("07915212345", "format"),      # 11 digits
    ("0791521234567", "format"),    # 13 digits
    ("07915212345a", "format"),
    ("０７９１５２１２３４５６", "format"),  # full-width digits look right but are not
    ("003152123456", "province"),   # no province 003
    ("000152123456", "province"),
    ("079399123456", "birth_year"),  # born in 2099
    ("079930123456", "birth_year"),  # 23rd century
])
def test_invalid_ids_name_what_is_wrong(value, reason):
    with pytest.raises(InvalidPersonalId) as raised:
        parse(value, today=date(2026, 11, 23))
    assert raised.value.reason == reason
    assert raised.value.message_vi and raised.value.message_en


def test_parts_are_read_back():
    parts = parse("079152123456", today=date(2026, 11, 23))
    assert (parts.province_code, parts.sex, parts.birth_year) == ("079", "female", 1952)
    parts = parse("001206123456", today=date(2026, 11, 23))
    assert (parts.sex, parts.birth_year) == ("male", 2006)


def test_compose_and_agreement_with_a_register_record():
    personal_id = compose("048", "male", 1947, "000123")
    assert personal_id == "048047000123"
    assert agrees_with(personal_id, "048", "male", date(1947, 5, 1))
    assert not agrees_with(personal_id, "048", "female", date(1947, 5, 1))
    assert not agrees_with(personal_id, "001", "male", date(1947, 5, 1))
    assert not agrees_with(personal_id, "048", "male", date(1948, 5, 1))
