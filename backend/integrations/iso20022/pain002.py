"""pain.002.001.12 customer payment status reports: the bank's answer to a pain.001.

Per transaction the bank says ACSC (settled on the debtor's side), ACCC
(credited to the creditor) or RJCT with an ISO reason code (AC01 unknown
account, AC04 closed, AC06 blocked, AM04 insufficient funds, BE01 name
mismatch, ...).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

from backend.integrations.iso20022 import xsd

MESSAGE = "pain.002.001.12"
NS = xsd.namespace(MESSAGE)
ORIGINAL_MESSAGE = "pain.001.001.09"


@dataclass(frozen=True)
class TransactionStatus:
    end_to_end_id: str
    status: str  # ExternalPaymentTransactionStatus1Code: ACSC, ACCC, RJCT, ...
    reason_code: str | None = None
    bank_reference: str | None = None  # AcctSvcrRef
    amount_vnd: int | None = None


@dataclass(frozen=True)
class Report:
    msg_id: str
    original_msg_id: str
    group_status: str
    transactions: Iterator[TransactionStatus]


def group_status(count: int, rejected: int) -> str:
    return "RJCT" if count and rejected == count else "PART" if rejected else "ACCP"


def write(path: Path, msg_id: str, original_msg_id: str, created: datetime, count: int,
          rejected: int, statuses: Iterable[TransactionStatus]) -> None:
    """Stream a report to `path`; `count` and `rejected` give the group status.

    Text templates, not element objects: writing a million transactions
    through lxml's elements took 20 s, and the XSD checks the result.
    """
    with path.open("w", encoding="utf-8", buffering=1 << 20) as out:
        out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{NS}">'
                  f"<CstmrPmtStsRpt><GrpHdr><MsgId>{escape(msg_id)}</MsgId>"
                  f"<CreDtTm>{created.strftime('%Y-%m-%dT%H:%M:%S')}</CreDtTm></GrpHdr>"
                  f"<OrgnlGrpInfAndSts><OrgnlMsgId>{escape(original_msg_id)}</OrgnlMsgId>"
                  f"<OrgnlMsgNmId>{ORIGINAL_MESSAGE}</OrgnlMsgNmId>"
                  f"<OrgnlNbOfTxs>{count}</OrgnlNbOfTxs>"
                  f"<GrpSts>{group_status(count, rejected)}</GrpSts></OrgnlGrpInfAndSts>"
                  f"<OrgnlPmtInfAndSts><OrgnlPmtInfId>{escape(original_msg_id)}</OrgnlPmtInfId>\n")
        for status in statuses:
            out.write(_transaction(status))
        out.write("</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>\n")


def _transaction(status: TransactionStatus) -> str:
    reason = (f"<StsRsnInf><Rsn><Cd>{escape(status.reason_code)}</Cd></Rsn></StsRsnInf>"
              if status.reason_code else "")
    reference = (f"<AcctSvcrRef>{escape(status.bank_reference)}</AcctSvcrRef>"
                 if status.bank_reference else "")
    amount = (f'<OrgnlTxRef><Amt><InstdAmt Ccy="VND">{status.amount_vnd}</InstdAmt></Amt>'
              "</OrgnlTxRef>" if status.amount_vnd is not None else "")
    return (f"<TxInfAndSts><OrgnlEndToEndId>{escape(status.end_to_end_id)}</OrgnlEndToEndId>"
            f"<TxSts>{escape(status.status)}</TxSts>{reason}{reference}{amount}"
            "</TxInfAndSts>\n")


_E2E, _STATUS, _REASON, _REFERENCE, _ORIGINAL = (
    f"{{{NS}}}{name}" for name in ("OrgnlEndToEndId", "TxSts", "StsRsnInf", "AcctSvcrRef",
                                   "OrgnlTxRef"))


def read(path: Path) -> Iterator[tuple[str, str] | TransactionStatus]:
    """("msg_id", …), ("original_msg_id", …), ("group_status", …), then each
    transaction's status, validated while the file streams (xsd.Refusal)."""
    n = lambda name: f"{{{NS}}}{name}"  # noqa: E731
    for node in xsd.stream(path, MESSAGE, "GrpHdr", "OrgnlGrpInfAndSts", "TxInfAndSts"):
        if node.tag == n("TxInfAndSts"):
            yield _status(node)
        elif node.tag == n("GrpHdr"):
            yield "msg_id", node.findtext(n("MsgId"))
        else:
            yield "original_msg_id", node.findtext(n("OrgnlMsgId"))
            yield "group_status", node.findtext(n("GrpSts")) or ""


def _status(node) -> TransactionStatus:
    # One pass over the children: a million findtext() calls with
    # namespaced paths were most of the time spent reading a file.
    e2e = status = ""
    reason = reference = None
    amount = None
    for child in node:
        tag = child.tag
        if tag == _E2E:
            e2e = child.text or ""
        elif tag == _STATUS:
            status = child.text or ""
        elif tag == _REASON:
            code = child.find(f"{{{NS}}}Rsn")
            reason = code[0].text if code is not None and len(code) else None
        elif tag == _REFERENCE:
            reference = child.text
        elif tag == _ORIGINAL:
            instructed = child.find(f"{{{NS}}}Amt/{{{NS}}}InstdAmt")
            amount = xsd.whole_vnd(instructed) if instructed is not None else None
    return TransactionStatus(e2e, status, reason, reference, amount)
