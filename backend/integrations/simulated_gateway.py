"""A simulated bank gateway over the fixture accounts (the banks' side).

It executes each credit transfer of a pain.001 file once (its ledger is keyed
by end-to-end id), answers a pain.002 status report, remembers the report by
MsgId so a resent file executes nothing twice, and signs each per-payment
callback with HMAC-SHA256.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from sqlalchemy import insert, select

from backend import db, names
from backend.integrations import pain001
from backend.integrations.bank_gateway import CallbackSink
from backend.models import SimGatewayMessage, SimInstitutionAccount, SimTransfer
from backend.models.statuses import BankResult, InstitutionAccountStatus

CLOSED, UNKNOWN, NAME_MISMATCH = "AC04", "AC01", "BE01"  # ISO 20022 reason codes


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class SimulatedBankGateway:
    def __init__(self, secret: str):
        self.secret = secret

    def submit(self, msg_id: str, institution: str, pain001_path: Path) -> str:
        received = db.session.get(SimGatewayMessage, msg_id)
        if received is not None:
            return received.status_report  # a resend: nothing executes twice
        now = datetime.now(UTC)
        done = set(db.session.scalars(select(SimTransfer.end_to_end_id)
                                      .where(SimTransfer.msg_id == msg_id)))
        statuses, batch = [], []
        for end_to_end_id, amount, creditor, account in pain001.iter_transactions(pain001_path):
            reason = self._refusal(institution, account, creditor)
            statuses.append((end_to_end_id, reason))
            if end_to_end_id in done:
                continue
            batch.append({"end_to_end_id": end_to_end_id, "msg_id": msg_id,
                          "transaction_id": f"{institution}-{end_to_end_id}",
                          "institution": institution, "amount_vnd": amount,
                          "status": BankResult.REJECTED if reason else BankResult.SETTLED,
                          "reason_code": reason, "executed_at": now})
            if len(batch) >= 5000:
                db.session.execute(insert(SimTransfer), batch)
                batch.clear()
        if batch:
            db.session.execute(insert(SimTransfer), batch)
        report = _status_report(msg_id, now, statuses)
        db.session.add(SimGatewayMessage(msg_id=msg_id, institution=institution,
                                         received_at=now, status_report=report))
        db.session.commit()
        return report

    def _refusal(self, institution: str, account: str, creditor: str) -> str | None:
        row = db.session.scalar(select(SimInstitutionAccount).where(
            SimInstitutionAccount.institution == institution,
            SimInstitutionAccount.account_number == account))
        if row is None:
            return UNKNOWN
        if row.status != InstitutionAccountStatus.OPEN:
            return CLOSED
        if names.compare(row.holder_name, creditor) == "different":
            return NAME_MISMATCH
        return None

    def deliver_callbacks(self, msg_id: str, sink: CallbackSink) -> int:
        # Chunks read whole before the sink runs: the receiver commits, which
        # would close a server-side cursor held across the calls.
        delivered, after = 0, ""
        while True:
            chunk = db.session.scalars(select(SimTransfer)
                                       .where(SimTransfer.msg_id == msg_id,
                                              SimTransfer.end_to_end_id > after)
                                       .order_by(SimTransfer.end_to_end_id).limit(1000)).all()
            if not chunk:
                return delivered
            for transfer in chunk:
                body = callback_body(transfer)
                sink(body, sign(self.secret, body))
                delivered += 1
            after = chunk[-1].end_to_end_id


def callback_body(transfer: SimTransfer) -> bytes:
    return json.dumps({
        "transaction_id": transfer.transaction_id, "end_to_end_id": transfer.end_to_end_id,
        "msg_id": transfer.msg_id, "institution": transfer.institution,
        "status": transfer.status, "reason_code": transfer.reason_code,
        "amount_vnd": transfer.amount_vnd,
    }, sort_keys=True).encode()


def _status_report(msg_id: str, now: datetime, statuses: list[tuple[str, str | None]]) -> str:
    rejected = sum(1 for _, reason in statuses if reason)
    group = "RJCT" if rejected == len(statuses) else "PART" if rejected else "ACCP"
    transactions = "".join(
        f"<TxInfAndSts><OrgnlEndToEndId>{escape(e2e)}</OrgnlEndToEndId>"
        + (f"<TxSts>RJCT</TxSts><StsRsnInf><Rsn><Cd>{reason}</Cd></Rsn></StsRsnInf>"
           if reason else "<TxSts>ACSC</TxSts>")
        + "</TxInfAndSts>" for e2e, reason in statuses)
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">'
            f"<CstmrPmtStsRpt><GrpHdr><MsgId>STS-{escape(msg_id)}</MsgId>"
            f"<CreDtTm>{now.strftime('%Y-%m-%dT%H:%M:%S')}</CreDtTm></GrpHdr>"
            f"<OrgnlGrpInfAndSts><OrgnlMsgId>{escape(msg_id)}</OrgnlMsgId>"
            "<OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>"
            f"<OrgnlNbOfTxs>{len(statuses)}</OrgnlNbOfTxs><GrpSts>{group}</GrpSts>"
            f"</OrgnlGrpInfAndSts><OrgnlPmtInfAndSts><OrgnlPmtInfId>{escape(msg_id)}"
            f"</OrgnlPmtInfId>{transactions}</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>")
