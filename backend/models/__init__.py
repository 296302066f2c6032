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
)
from backend.models.payment import (
                                    BankCallback,
                                    BankResultFile,
                                    DispatchBatch,
                                    DispatchBatchTransition,
                                    Payment,
                                    PaymentRequest,
                                    PaymentRequestTransition,
                                    PaymentTransition,
                                    PaymentVersion,
                                    Payroll,
                                    PayrollRow,
)
from backend.models.payout_link import (
                                    Consent,
                                    IdempotencyRecord,
                                    LinkCheck,
                                    LinkTransition,
                                    PayoutLink,
)
from backend.models.reconciliation import BankStatement, Reconciliation, StatementEntry
from backend.models.reference import Institution, Programme
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
    "AuditChainHead", "AuditEntry", "Consent", "IdempotencyRecord", "LinkCheck", "LinkTransition",
    "PayoutLink", "BankCallback", "BankResultFile", "DispatchBatch", "DispatchBatchTransition",
    "Payment", "PaymentRequest", "PaymentRequestTransition", "PaymentTransition",
    "PaymentVersion", "Payroll", "PayrollRow",
    "SimGatewayMessage", "SimTransfer", "SimSmsOutbox", "NotificationPreference",
    "OutboundMessage", "OutboundMessageTransition", "CashHandover", "LinkDispute",
    "LinkDisputeTransition",
    "AuthSession", "EidAccount", "Institution", "LoginChallenge", "Notification",
    "Programme", "SimBeneficiary", "SimInstitutionAccount", "SimPerson",
    "SignInThrottle", "SocialSecurityAccount", "StaffAccount", "BankStatement", "Reconciliation",
    "StatementEntry", "InquiryLine", "InquiryTransition", "InstitutionInquiry",
]
