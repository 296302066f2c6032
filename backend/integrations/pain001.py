"""ISO 20022 pain.001.001.09 bulk credit transfer files, validated before they leave.

Written element by element to disk (lxml's incremental writer) from a
streamed query, so a file of any size is built in constant memory; checked
against the official XSD shipped by the sepaxml package.

The bank gateway's file format, so it sits with the gateway: dispatch writes
the files, the simulated gateway reads them.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Protocol

import sepaxml
from lxml import etree

from backend.integrations.iso20022 import xsd

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"
XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.09.xsd"
DEBTOR_NAME = "KHO BAC NHA NUOC"  # the State Treasury pays
DEBTOR_ACCOUNT = "3511000000001"
DEBTOR_AGENT_BIN = "970415"


class Writable(Protocol):
    def write(self, data: bytes, /) -> int: ...


class InvalidPaymentFile(Exception):
    """The file we built does not conform to the schema: it must not be sent."""


@dataclass(frozen=True)
class Transfer:
    end_to_end_id: str
    amount_vnd: int
    creditor_name: str
    creditor_account: str
    creditor_agent: str  # NAPAS BIN or provider code
    remittance: str


def _schema() -> etree.XMLSchema:
    return xsd.loaded(XSD)


def _leaf(writer, name: str, text: str, **attributes) -> None:
    element = etree.Element(f"{{{NAMESPACE}}}{name}", **attributes)
    element.text = text
    writer.write(element)


def _nested(writer, path: list[str], text: str) -> None:
    """<A><B><C>text</C></B></A> for path [A, B, C]."""
    root = etree.Element(f"{{{NAMESPACE}}}{path[0]}")
    node = root
    for name in path[1:]:
        node = etree.SubElement(node, f"{{{NAMESPACE}}}{name}")
    node.text = text
    writer.write(root)


def write(target: Path | Writable, msg_id: str, created: datetime, count: int, total_vnd: int,
          transfers: Iterable[Transfer]) -> None:
    """Write the file to a path or a binary stream (the service's sealed writer)."""
    q = lambda name: f"{{{NAMESPACE}}}{name}"  # noqa: E731
    with etree.xmlfile(str(target) if isinstance(target, Path) else target,
                       encoding="UTF-8") as xml:
        xml.write_declaration()
        with xml.element(q("Document"), nsmap={None: NAMESPACE}), \
                xml.element(q("CstmrCdtTrfInitn")):
            with xml.element(q("GrpHdr")):
                _leaf(xml, "MsgId", msg_id)
                _leaf(xml, "CreDtTm", created.strftime("%Y-%m-%dT%H:%M:%S"))
                _leaf(xml, "NbOfTxs", str(count))
                _leaf(xml, "CtrlSum", str(total_vnd))
                _nested(xml, ["InitgPty", "Nm"], DEBTOR_NAME)
            with xml.element(q("PmtInf")):
                _leaf(xml, "PmtInfId", msg_id)
                _leaf(xml, "PmtMtd", "TRF")
                _leaf(xml, "NbOfTxs", str(count))
                _leaf(xml, "CtrlSum", str(total_vnd))
                _nested(xml, ["ReqdExctnDt", "Dt"], created.date().isoformat())
                _nested(xml, ["Dbtr", "Nm"], DEBTOR_NAME)
                _nested(xml, ["DbtrAcct", "Id", "Othr", "Id"], DEBTOR_ACCOUNT)
                _nested(xml, ["DbtrAgt", "FinInstnId", "ClrSysMmbId", "MmbId"],
                        DEBTOR_AGENT_BIN)
                for transfer in transfers:
                    xml.write(_transaction(transfer))


def _transaction(transfer: Transfer) -> etree._Element:
    n = lambda name: f"{{{NAMESPACE}}}{name}"  # noqa: E731
    tx = etree.Element(n("CdtTrfTxInf"))
    etree.SubElement(etree.SubElement(tx, n("PmtId")), n("EndToEndId")).text = \
        transfer.end_to_end_id
    amount = etree.SubElement(etree.SubElement(tx, n("Amt")), n("InstdAmt"), Ccy="VND")
    amount.text = str(transfer.amount_vnd)
    agent = etree.SubElement(etree.SubElement(tx, n("CdtrAgt")), n("FinInstnId"))
    etree.SubElement(etree.SubElement(agent, n("ClrSysMmbId")), n("MmbId")).text = \
        transfer.creditor_agent
    etree.SubElement(etree.SubElement(tx, n("Cdtr")), n("Nm")).text = transfer.creditor_name
    account = etree.SubElement(etree.SubElement(tx, n("CdtrAcct")), n("Id"))
    etree.SubElement(etree.SubElement(account, n("Othr")), n("Id")).text = \
        transfer.creditor_account
    etree.SubElement(etree.SubElement(tx, n("RmtInf")), n("Ustrd")).text = transfer.remittance
    return tx


def validate(source: Path | BinaryIO) -> None:
    schema = _schema()
    document = etree.parse(str(source) if isinstance(source, Path) else source,
                           etree.XMLParser(huge_tree=True))
    if not schema.validate(document):
        first = schema.error_log[0]
        raise InvalidPaymentFile(f"line {first.line}: {first.message}")


def iter_transactions(source: Path | BinaryIO):
    """(end_to_end_id, amount, creditor_name, account) of each transfer, streamed."""
    n = lambda name: f"{{{NAMESPACE}}}{name}"  # noqa: E731
    for _, tx in etree.iterparse(str(source) if isinstance(source, Path) else source,
                                 tag=n("CdtTrfTxInf"), huge_tree=True):
        yield (tx.findtext(f"{n('PmtId')}/{n('EndToEndId')}"),
               int(tx.findtext(f"{n('Amt')}/{n('InstdAmt')}")),
               tx.findtext(f"{n('Cdtr')}/{n('Nm')}"),
               tx.findtext(f"{n('CdtrAcct')}/{n('Id')}/{n('Othr')}/{n('Id')}"))
        tx.clear()
        while tx.getprevious() is not None:
            del tx.getparent()[0]
