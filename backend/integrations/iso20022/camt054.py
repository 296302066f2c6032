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


def read(path: Path) -> Iterator[tuple[str, str] | Credit]:
    """("msg_id", …), then each transaction detail as a Credit, validated while
    the file streams (xsd.Refusal)."""
    n = lambda name: f"{{{NS}}}{name}"  # noqa: E731
    entry_booked: bool | None = None
    for node in xsd.stream(path, MESSAGE, "GrpHdr", "TxDtls", "Ntry"):
        tag = xsd.local(node)
        if tag == "GrpHdr":
            yield "msg_id", node.findtext(n("MsgId"))
        elif tag == "Ntry":
            entry_booked = None  # the next entry is read afresh
        else:
            if entry_booked is None:
                entry = node.getparent().getparent()
                entry_booked = (entry.findtext(n("CdtDbtInd")) == "CRDT"
                                and entry.findtext(f"{n('Sts')}/{n('Cd')}") == "BOOK"
                                and entry.findtext(n("RvslInd")) not in ("true", "1"))
            amount = node.find(n("Amt"))
            own = node.findtext(n("CdtDbtInd"))
            yield Credit(
                end_to_end_id=node.findtext(f"{n('Refs')}/{n('EndToEndId')}") or "",
                amount_vnd=xsd.whole_vnd(amount) if amount is not None else None,
                bank_reference=node.findtext(f"{n('Refs')}/{n('AcctSvcrRef')}"),
                booked=entry_booked and own in (None, "CRDT"))
