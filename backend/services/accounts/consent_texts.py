"""The consent texts citizens agree to, each with the version stored beside a consent."""
from __future__ import annotations

from backend.services.accounts.linking import CONSENT_VERSION

_PAYOUT_LINK = {
    "vi": "Tôi đồng ý để cơ quan bảo hiểm xã hội và Kho bạc Nhà nước chia sẻ số định danh cá "
          "nhân, họ tên và số tài khoản của tôi với ngân hàng hoặc tổ chức ví điện tử tôi chọn, "
          "để xác minh chủ tài khoản và chuyển các khoản trợ cấp của tôi vào tài khoản này. "
          "Tôi có thể hủy liên kết bất cứ lúc nào trong ứng dụng.",
    "en": "I agree that the social security agency and the State Treasury share my personal ID "
          "number, full name and account number with the bank or mobile-money provider I "
          "chose, to verify the account holder and to pay my benefits into this account. I "
          "can unlink the account at any time in the app.",
}


def payout_link(language: str) -> dict:
    return {"version": CONSENT_VERSION, "text": _PAYOUT_LINK[language]}
