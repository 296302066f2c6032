"""ISO 20022 camt.053 bank-to-customer statements: the bank's end-of-day
booking of the Treasury's disbursement account.

The simulated bank writes one; the service reads one, streaming and
validated against the official XSD while it parses, so a file of a million
entries is never held whole in memory.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO
from xml.sax.saxutils import escape

from lxml import etree

from backend.integrations.iso20022 import xsd

MESSAGE = "camt.053.001.08"
NAMESPACE = xsd.namespace(MESSAGE)
_NS = "{" + NAMESPACE + "}"


class StatementInvalid(ValueError):
    """The file is not a valid camt.053.001.08 document: the reason names the
    element and the value refused; `line` says where when the parser knows."""

    def __init__(self, reason: str, line: int | None):
        super().__init__(reason)
        self.reason, self.line = reason, line


@dataclass(frozen=True)
class StatementEntry:
    end_to_end_id: str
    # Debited from the account is positive; credited back (a return, a reversal), negative.
    amount_vnd: int
    booked_on: date


@dataclass
class Statement:
    msg_id: str = ""
    account: str = ""
    statement_date: date | None = None


def read(source: IO[bytes], statement: Statement) -> Iterator[StatementEntry]:
    """Yield each booked entry; fill `statement` from the header as it is read.

    Raises StatementInvalid at the first element the XSD refuses, so a
    caller that applies entries as they come must do so in a transaction.
    A streaming parser's schema error names the element and the value it
    refuses, but not the line; a file that is not well-formed gets its line.
    """
    # libxml2's default limits stay on (no huge_tree): they bound entity
    # expansion and depth; a million entries are within them.
    parser = etree.iterparse(source, events=("end",), schema=xsd.schema(MESSAGE), no_network=True,
                             tag=(_NS + "Ntry", _NS + "GrpHdr", _NS + "Acct", _NS + "Bal"))
    try:
        for _, element in parser:
            tag = element.tag
            if tag == _NS + "Ntry":
                yield from _entries(element)
                _forget(element)
            elif tag == _NS + "GrpHdr":
                statement.msg_id = element.findtext(_NS + "MsgId") or ""
            elif tag == _NS + "Acct":
                statement.account = element.findtext(f"{_NS}Id/{_NS}Othr/{_NS}Id") or \
                    element.findtext(f"{_NS}Id/{_NS}IBAN") or ""
            elif statement.statement_date is None:
                statement.statement_date = _day(element.find(_NS + "Dt"))
    except etree.XMLSyntaxError as error:
        raise StatementInvalid(error.msg, error.lineno or None) from None
    if not statement.msg_id or statement.statement_date is None:
        raise StatementInvalid("not a camt.053.001.08 statement", None)


def _forget(element) -> None:
    """Drop a read entry and those before it, so memory stays flat over a million."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    while element.getprevious() is not None:
        del parent[0]


def _entries(entry) -> Iterator[StatementEntry]:
    # lxml hands over an element's end before the schema error found in the
    # same chunk: an entry may still be invalid here. One without its
    # amount yields nothing; the schema error follows at the next read.
    if entry.find(_NS + "Amt") is None:
        return
    sign = 1 if entry.findtext(_NS + "CdtDbtInd") == "DBIT" else -1
    if entry.findtext(_NS + "RvslInd") == "true":
        sign = -sign
    booked_on = _day(entry.find(_NS + "BookgDt"))
    entry_amount = _amount(entry.find(_NS + "Amt"))
    for details in entry.iterfind(f"{_NS}NtryDtls/{_NS}TxDtls"):
        e2e = details.findtext(f"{_NS}Refs/{_NS}EndToEndId")
        if e2e:
            amount = details.find(_NS + "Amt")
            yield StatementEntry(e2e, sign * (_amount(amount) if amount is not None
                                              else entry_amount), booked_on)


def _amount(element) -> int:
    if element.get("Ccy") != "VND":
        raise StatementInvalid(f"Element 'Amt': amount in {element.get('Ccy')}, not VND",
                               element.sourceline)
    value = (element.text or "").strip()
    whole, _, fraction = value.partition(".")
    if not whole.isascii() or not whole.isdigit() or fraction.strip("0"):
        raise StatementInvalid(f"Element 'Amt': {value!r} is not a whole amount of VND",
                               element.sourceline)
    return int(whole)


def _day(element) -> date:
    text = "" if element is None else \
        element.findtext(_NS + "Dt") or (element.findtext(_NS + "DtTm") or "")[:10]
    try:
        return date.fromisoformat(text)
    except ValueError:  # the schema error for it follows at the next read
        return date.min


def write(target: IO[bytes], msg_id: str, account: str, day: date, created: datetime,
          entries: Iterable[tuple[str, int]]) -> int:
    """Write a statement of debits (end-to-end id, amount); returns how many."""
    header = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<Document xmlns="{NAMESPACE}"><BkToCstmrStmt>'
        f"<GrpHdr><MsgId>{escape(msg_id)}</MsgId>"
        f"<CreDtTm>{created.strftime('%Y-%m-%dT%H:%M:%S')}</CreDtTm></GrpHdr>"
        f"<Stmt><Id>{escape(msg_id)}</Id>"
        f"<Acct><Id><Othr><Id>{escape(account)}</Id></Othr></Id><Ccy>VND</Ccy></Acct>"
        '<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="VND">0</Amt>'
        f"<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{day.isoformat()}</Dt></Dt></Bal>")
    target.write(header.encode())
    count = 0
    for e2e, amount in entries:
        target.write((
            f'<Ntry><Amt Ccy="VND">{amount}</Amt><CdtDbtInd>DBIT</CdtDbtInd>'
            f"<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>{day.isoformat()}</Dt></BookgDt>"
            "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>ESCT</SubFmlyCd>"
            "</Fmly></Domn></BkTxCd>"
            f"<NtryDtls><TxDtls><Refs><EndToEndId>{escape(e2e)}</EndToEndId></Refs>"
            "</TxDtls></NtryDtls></Ntry>\n").encode())
        count += 1
    target.write(b"</Stmt></BkToCstmrStmt></Document>")
    return count
