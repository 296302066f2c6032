"""The one catalogue of user-facing text the backend produces, in vi and en.

Keys are error codes or notification kinds; texts may hold `{placeholders}`
filled from the error's or notification's parameters.
"""
from __future__ import annotations

from flask import has_request_context, request

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

ERRORS: dict[str, dict[str, str]] = {
    "VALIDATION_ERROR": {
        "vi": "Dữ liệu gửi lên không hợp lệ. Vui lòng kiểm tra các trường được nêu.",
        "en": "The data sent is not valid. Please check the fields listed."},
    "BAD_REQUEST": {
        "vi": "Yêu cầu không đọc được. Vui lòng gửi lại dữ liệu JSON hợp lệ.",
        "en": "The request could not be read. Please send valid JSON."},
    "UNAUTHENTICATED": {
        "vi": "Phiên đăng nhập không còn hiệu lực. Vui lòng đăng nhập lại.",
        "en": "Your session is no longer valid. Please sign in again."},
    "INVALID_CREDENTIALS": {
        "vi": "Số định danh cá nhân hoặc mật khẩu không đúng.",
        "en": "The personal ID number or password is incorrect."},
    "OTP_INVALID": {
        "vi": "Mã xác thực không đúng. Vui lòng nhập mã đang hiển thị trên ứng dụng xác thực.",
        "en": "The one-time code is incorrect. Please enter the code your authenticator shows now."},
    "OTP_REPLAYED": {
        "vi": "Mã xác thực này đã được dùng. Vui lòng chờ mã mới rồi nhập lại.",
        "en": "This one-time code has already been used. Please wait for a new code."},
    "CHALLENGE_EXPIRED": {
        "vi": "Đã quá 5 phút kể từ khi nhập mật khẩu. Vui lòng đăng nhập lại.",
        "en": "More than 5 minutes have passed since the password step. Please sign in again."},
    "CHALLENGE_INVALID": {
        "vi": "Phiên xác thực không tồn tại hoặc đã dùng. Vui lòng đăng nhập lại.",
        "en": "This sign-in step is unknown or already used. Please sign in again."},
    "ACCOUNT_LOCKED": {
        "vi": "Tài khoản tạm khóa do nhập sai nhiều lần. Bạn có thể thử lại sau {retry_at}.",
        "en": "The account is locked after too many failed attempts. You may try again after {retry_at}."},
    "ACCOUNT_LOCKED_PERMANENTLY": {
        "vi": "Tài khoản đã bị khóa do nhập sai quá nhiều lần. Vui lòng liên hệ tổng đài "
              "hoặc cơ quan Công an nơi cư trú để mở khóa.",
        "en": "The account is locked after too many failed attempts. Please contact the "
              "helpline or your local police office to unlock it."},
    "IAL2_REQUIRED": {
        "vi": "Tính năng an sinh xã hội cần tài khoản định danh điện tử mức độ 2. Vui lòng mang "
              "căn cước công dân đến cơ quan Công an nơi cư trú để nâng cấp lên mức độ 2.",
        "en": "Social security features need a level-2 electronic identity. Please bring your "
              "citizen ID card to your local police office to upgrade to level 2."},
    "STEP_UP_REQUIRED": {
        "vi": "Thao tác này cần xác thực lại bằng mã một lần.",
        "en": "This action needs a fresh one-time code."},
    "FORBIDDEN": {
        "vi": "Bạn không có quyền thực hiện thao tác này.",
        "en": "You are not allowed to do this."},
    "NOT_FOUND": {
        "vi": "Không tìm thấy nội dung yêu cầu.",
        "en": "The requested item was not found."},
    "METHOD_NOT_ALLOWED": {
        "vi": "Phương thức này không được hỗ trợ cho địa chỉ này.",
        "en": "This method is not allowed on this address."},
    "CONFLICT": {
        "vi": "Yêu cầu xung đột với trạng thái hiện tại. Vui lòng tải lại và thử lại.",
        "en": "The request conflicts with the current state. Please reload and try again."},
    "RATE_LIMITED": {
        "vi": "Bạn thao tác quá nhanh. Vui lòng chờ một lát rồi thử lại.",
        "en": "Too many requests. Please wait a moment and try again."},
    "IDEMPOTENCY_KEY_REUSED": {
        "vi": "Khóa Idempotency-Key đã được dùng cho một yêu cầu khác.",
        "en": "This Idempotency-Key was already used for a different request."},
    "PAYLOAD_TOO_LARGE": {
        "vi": "Dữ liệu gửi lên quá lớn.",
        "en": "The request body is too large."},
    "UNSUPPORTED_MEDIA_TYPE": {
        "vi": "Vui lòng gửi dữ liệu dạng JSON.",
        "en": "Please send the body as JSON."},
    "INTERNAL_ERROR": {
        "vi": "Hệ thống đang gặp sự cố. Dữ liệu của bạn không bị thay đổi; vui lòng thử lại sau.",
        "en": "Something went wrong on our side. Nothing was changed; please try again later."},
}

NOTIFICATIONS: dict[str, dict[str, dict[str, str]]] = {
    "ACCOUNT_CREATED": {
        "title": {"vi": "Tài khoản an sinh xã hội đã sẵn sàng",
                  "en": "Your social security account is ready"},
        "body": {"vi": "Hãy liên kết tài khoản ngân hàng hoặc ví điện tử để nhận trợ cấp "
                       "trực tiếp, không cần đến điểm chi trả.",
                 "en": "Link a bank or mobile-money account to receive your benefits "
                       "directly, without going to a paying agent."}},
}


def current_language() -> str:
    """The language of the request being served (`Accept-Language`), vi by default."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE)


def error_text(code: str, params: dict | None = None, language: str | None = None) -> str:
    texts = ERRORS.get(code) or ERRORS["INTERNAL_ERROR"]
    return texts[language or current_language()].format(**(params or {}))


def notification_text(kind: str, part: str, params: dict, language: str | None = None) -> str:
    return NOTIFICATIONS[kind][part][language or current_language()].format(**params)
