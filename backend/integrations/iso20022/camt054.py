"""camt.054.001.08 debit/credit notifications: the credits the bank booked.

The simulated bank books each pain.001 file as one batch entry (CRDT, BOOK)
with a transaction detail per credit: the end-to-end id, the amount in VND
and the bank's own reference. Only a booked credit that is not a reversal
settles a payment.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

from backend.integrations.iso20022 import xsd

MESSAGE = "camt.054.001.08"
NS = xsd.namespace(MESSAGE)


@dataclass(frozen=True)
class Credit:
    end_to_end_id: str
    amount_vnd: int | None
    bank_reference: str | None = None  # AcctSvcrRef
    booked: bool = True  # a credit, status BOOK, not a reversal


def write(path: Path, msg_id: str, created: datetime, account: str, original_msg_id: str,
          count: int, total_vnd: int, credits: Iterable[Credit]) -> None:
    """Stream one notification: a batch entry of `count` credits totalling `total_vnd`.

    Text templates, as pain002.write, for speed; the XSD checks the result.
    """
    stamp, day = created.strftime("%Y-%m-%dT%H:%M:%S"), created.date().isoformat()
    with path.open("w", encoding="utf-8", buffering=1 << 20) as out:
        out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{NS}">'
                  f"<BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>{escape(msg_id)}</MsgId>"
                  f"<CreDtTm>{stamp}</CreDtTm></GrpHdr>"
                  f"<Ntfctn><Id>{escape(msg_id)}</Id><CreDtTm>{stamp}</CreDtTm>"
                  f"<Acct><Id><Othr><Id>{escape(account)}</Id></Othr></Id></Acct>"
                  f'<Ntry><Amt Ccy="VND">{total_vnd}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
                  f"<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>{day}</Dt></BookgDt>"
                  f"<ValDt><Dt>{day}</Dt></ValDt><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd>"
                  "<SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>"
                  f"<NtryDtls><Btch><PmtInfId>{escape(original_msg_id)}</PmtInfId>"
                  f'<NbOfTxs>{count}</NbOfTxs><TtlAmt Ccy="VND">{total_vnd}</TtlAmt>'
                  "<CdtDbtInd>CRDT</CdtDbtInd></Btch>\n")
        for credit in credits:
            out.write(_details(credit))
        out.write("</NtryDtls></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>\n")


def _details(credit: Credit) -> str:
    reference = (f"<AcctSvcrRef>{escape(credit.bank_reference)}</AcctSvcrRef>"
                 if credit.bank_reference else "")
    return (f"<TxDtls><Refs>{reference}<EndToEndId>{escape(credit.end_to_end_id)}</EndToEndId>"
            f'</Refs><Amt Ccy="VND">{credit.amount_vnd}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
            "</TxDtls>\n")


_REFS, _AMOUNT, _SIDE, _E2E, _REFERENCE = (
    f"{{{NS}}}{name}" for name in ("Refs", "Amt", "CdtDbtInd", "EndToEndId", "AcctSvcrRef"))


def read(path: Path) -> Iterator[tuple[str, str] | Credit]:
    """("msg_id", …), then each transaction detail as a Credit, validated while
    the file streams (xsd.Refusal)."""
    n = lambda name: f"{{{NS}}}{name}"  # noqa: E731
    entry_booked: bool | None = None
    for node in xsd.stream(path, MESSAGE, "GrpHdr", "TxDtls", "Ntry"):
        if node.tag == n("TxDtls"):
            if entry_booked is None:
                entry = node.getparent().getparent()
                entry_booked = (entry.findtext(n("CdtDbtInd")) == "CRDT"
                                and entry.findtext(f"{n('Sts')}/{n('Cd')}") == "BOOK"
                                and entry.findtext(n("RvslInd")) not in ("true", "1"))
            yield _credit(node, entry_booked)
        elif node.tag == n("Ntry"):
            entry_booked = None  # the next entry is read afresh
        else:
            yield "msg_id", node.findtext(n("MsgId"))


def _credit(node, entry_booked: bool) -> Credit:
    # One pass over the children, as pain002._status, for speed.
    e2e, reference, amount, side = "", None, None, None
    for child in node:
        tag = child.tag
        if tag == _REFS:
            for ref in child:
                if ref.tag == _E2E:
                    e2e = ref.text or ""
                elif ref.tag == _REFERENCE:
                    reference = ref.text
        elif tag == _AMOUNT:
            amount = xsd.whole_vnd(child)
        elif tag == _SIDE:
            side = child.text
    return Credit(e2e, amount, reference, entry_booked and side in (None, "CRDT"))
