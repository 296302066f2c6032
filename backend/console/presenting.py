"""How values look on a page: times in Viet Nam time, money, masked numbers,
provinces, and labels from the catalogue. Registered as Jinja globals/filters."""
from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlencode

from flask import g, request

from backend import canonical
from backend.console.blueprint import console
from backend.console.catalogue import LANGUAGES, current_language, label, t
from backend.console.signed_in import may_open
from backend.messages import reason_text
from backend.models.statuses import PAYMENT_REQUEST_PAYABLE, LinkStatus, PaymentRequestStatus
from backend.request_guard import ID_MAX
from backend.services.accounts.account_numbers import mask
from backend.services.identity.personal_id import PROVINCES
from backend.services.payments import history
from backend.vietnam_time import VIETNAM_TIME


def local_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(VIETNAM_TIME).strftime("%d/%m/%Y %H:%M")


def local_date(day: date | str | None) -> str:
    if not day:
        return ""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return day.strftime("%d/%m/%Y")


def period_words(period: str | None) -> str:
    """A month as staff write it (10/2026); a one-off programme's label (QK2025) as is."""
    if period and canonical.is_period(period):
        year, month = period.split("-")
        return f"{month}/{year}"
    return period or ""


def vnd(amount: int | None) -> str:
    # Vietnamese groups thousands with dots: 1.500.000 ₫
    return "" if amount is None else f"{amount:,}".replace(",", ".") + " ₫"


def percent(share: float) -> str:
    # 0.3333 -> "33,3 %" in Vietnamese, "33.3 %" in English
    text = f"{share * 100:.1f}".removesuffix(".0")
    return (text.replace(".", ",") if current_language() == "vi" else text) + " %"


def province(code: str | None) -> str:
    if not code:
        return ""
    return f"{code} · {PROVINCES[code]}" if code in PROVINCES else code


def plain(value) -> str:
    """Evidence and audit details (JSON values) as short readable text."""
    if value is None or value == {} or value == []:
        return "—"
    if isinstance(value, bool):
        return t("yes") if value else t("no")
    if isinstance(value, dict):
        return "; ".join(f"{key}: {plain(inner)}" for key, inner in value.items())
    if isinstance(value, list):
        return " | ".join(plain(item) for item in value)
    return str(value)


def reason_for_staff(reason: str | None) -> str:
    """A reason written for staff; else what the citizen was told; never the bare code
    unless nothing at all is written for it."""
    if not reason:
        return ""
    for_staff = label("staff_reason", reason)
    if for_staff != reason:
        return for_staff
    return reason_text(reason, current_language()) or reason


# Who did a step, as a role: staff are shown as "staff · username", so that a
# supervisor can still tell reviewers apart.
_ACTOR_ROLES = ("citizen", "system", "gateway", "treasury", "agent")
# Services acting from a tool or the demo name where from ("treasury:cli",
# "agency:simulated"); staff see the role.
_ROLE_OF_PREFIX = {"treasury": "treasury", "paying_agent": "agent", "agency": "agency",
                   "operator": "operator"}


def actor_words(actor: str | None) -> str:
    if not actor:
        return ""
    if actor.startswith("staff:"):
        return t("actor.staff", username=actor.removeprefix("staff:"))
    if actor in _ACTOR_ROLES:
        return label("actor", actor)
    role = _ROLE_OF_PREFIX.get(actor.split(":", 1)[0]) if ":" in actor else None
    return label("actor", role) if role else t("actor.other")


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T")


def evidence_facts(evidence: dict | None) -> list[tuple[str, str]]:
    """A check's evidence as labelled facts in the staff's language."""
    return [(_fact_label(key), _fact_value(key, value))
            for key, value in (evidence or {}).items()]


def _fact_label(key: str) -> str:
    name = label("evidence", key)
    return t("evidence.other") if name == key else name


def _fact_value(key: str, value) -> str:
    if value is None or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return t("yes") if value else t("no")
    if key in ("comparison", "institution_answer"):
        return label(key, str(value))
    if key == "province_code":
        return province(value)
    if key == "programme":
        return label("programme", str(value))
    if key == "account_last4":
        return mask(str(value)) or ""
    if key == "active_links_of_others" and isinstance(value, list):
        return t("evidence.other_holders", count=len(value))
    if isinstance(value, dict):
        return "; ".join(f"{_fact_label(inner_key)}: {_fact_value(inner_key, inner)}"
                         for inner_key, inner in value.items())
    if isinstance(value, list):
        return " | ".join(_fact_value(key, item) for item in value)
    text = str(value)
    if _ISO_DAY.match(text):
        return local_date(text)
    if _ISO_MOMENT.match(text):
        return local_time(datetime.fromisoformat(text))
    return text


def page_number_asked() -> int:
    """The `page` of the query string; a page that is not a number is the first."""
    wanted = request.args.get("page", "1")
    # ASCII digits only (isdigit also takes "²"), and an offset the database can hold.
    return min(max(1, int(wanted)), ID_MAX) if wanted.isascii() and wanted.isdigit() \
        and len(wanted) <= 10 else 1


def programme_name(code: str | None) -> str:
    """A programme as staff manage it (programmes are data): its name in the page's
    language; the names are read once per page."""
    if not code:
        return ""
    if "programme_names" not in g:
        g.programme_names = history.programme_names(current_language())
    return g.programme_names.get(code) or label("programme", code)


def with_page(page_number: int) -> str:
    """This page's address with another page number (pagination links)."""
    arguments = {key: value for key, value in request.args.items() if value}
    arguments["page"] = str(page_number)
    return f"{request.path}?{urlencode(arguments)}"


@console.context_processor
def _page_globals():
    return {"label": label, "language": current_language(), "languages": LANGUAGES,
            "staff": g.get("staff"), "mask": mask, "local_time": local_time,
            "local_date": local_date, "vnd": vnd, "province": province,
            "reason_for_staff": reason_for_staff, "plain": plain,
            "actor_words": actor_words, "evidence_facts": evidence_facts,
            "programme_name": programme_name, "with_page": with_page,
            "may_open": may_open, "percent": percent, "period_words": period_words,
            # Templates compare statuses with these, never with a spelt-out status.
            "LinkStatus": LinkStatus, "PaymentRequestStatus": PaymentRequestStatus,
            "PAYMENT_REQUEST_PAYABLE": PAYMENT_REQUEST_PAYABLE}
