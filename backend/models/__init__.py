"""Every model, imported here so metadata (and Alembic) sees them all."""
from backend.models.audit import AuditChainHead, AuditEntry
from backend.models.auth_session import AuthSession, LoginChallenge
from backend.models.cash import CashHandover
from backend.models.eid_account import EidAccount
from backend.models.institution_inquiry import InquiryLine, InquiryTransition, InstitutionInquiry
from backend.models.link_dispute import LinkDispute, LinkDisputeTransition
from backend.models.messaging import (
                                    NotificationPreference,
                                    OutboundMessage,
                                    OutboundMessageTransition,
                                    PushDevice,
)
from backend.models.payment import (
                                    CASH_DESTINATION,
                                    BankCallback,
                                    BankResultFile,
                                    DispatchBatch,
                                    DispatchBatchTransition,
                                    Payment,
                                    PaymentMove,
                                    PaymentRequest,
                                    PaymentRequestTransition,
                                    PaymentTransition,
                                    Payroll,
                                    PayrollRow,
)
from backend.models.payment_report import PaymentReport, PaymentReportTransition
from backend.models.payout_link import (
                                    Consent,
                                    IdempotencyRecord,
                                    LinkCheck,
                                    LinkTransition,
                                    PayoutLink,
)
from backend.models.reconciliation import BankStatement, Reconciliation, StatementEntry
from backend.models.recovery import AccountRecovery, AccountRecoveryTransition
from backend.models.reference import Institution, Programme
from backend.models.result_conflict import ResultConflict
from backend.models.sign_in_throttle import SignInThrottle
from backend.models.simulated_world import (
                                    SimBeneficiary,
                                    SimGatewayMessage,
                                    SimInstitutionAccount,
                                    SimPerson,
                                    SimSmsOutbox,
                                    SimTransfer,
)
from backend.models.social_security_account import Notification, SocialSecurityAccount
from backend.models.staff_account import StaffAccount

__all__ = [
    "CASH_DESTINATION",
    "AuditChainHead", "AuditEntry", "Consent", "IdempotencyRecord", "LinkCheck", "LinkTransition",
    "PayoutLink", "BankCallback", "BankResultFile", "DispatchBatch", "DispatchBatchTransition",
    "Payment", "PaymentMove", "PaymentRequest", "PaymentRequestTransition", "PaymentTransition",
    "Payroll", "PayrollRow",
    "SimGatewayMessage", "SimTransfer", "SimSmsOutbox", "NotificationPreference",
    "OutboundMessage", "OutboundMessageTransition", "PushDevice", "CashHandover", "LinkDispute",
    "LinkDisputeTransition",
    "AuthSession", "EidAccount", "Institution", "LoginChallenge", "Notification",
    "Programme", "SimBeneficiary", "SimInstitutionAccount", "SimPerson",
    "SignInThrottle", "SocialSecurityAccount", "StaffAccount", "BankStatement", "Reconciliation",
    "StatementEntry", "ResultConflict", "AccountRecovery", "AccountRecoveryTransition",
    "PaymentReport", "PaymentReportTransition", "InquiryLine", "InquiryTransition",
    "InstitutionInquiry",
]
