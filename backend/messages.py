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
    "STAFF_INVALID_CREDENTIALS": {
        "vi": "Tên đăng nhập, mật khẩu hoặc mã xác thực không đúng.",
        "en": "The username, password or one-time code is incorrect."},
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
    "SIGNATURE_INVALID": {
        "vi": "Chữ ký của thông báo không hợp lệ; thông báo bị bỏ qua.",
        "en": "The message signature is not valid; the message was ignored."},
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

# Why a link request ended where it did: what happened and what to do next.
REASONS: dict[str, dict[str, str]] = {
    "DECEASED": {
        "vi": "Cơ sở dữ liệu dân cư ghi nhận người này đã mất. Nếu thông tin sai, vui lòng "
              "liên hệ Công an xã/phường nơi cư trú.",
        "en": "The population register records this person as deceased. If that is wrong, "
              "please contact your commune police office."},
    "NOT_IN_POPULATION_REGISTER": {
        "vi": "Không tìm thấy thông tin trong Cơ sở dữ liệu dân cư; cán bộ sẽ kiểm tra.",
        "en": "Your record was not found in the population register; staff will check it."},
    "REGISTERS_DISAGREE": {
        "vi": "Thông tin của bạn ở Cơ sở dữ liệu dân cư và danh sách hưởng trợ cấp chưa khớp; "
              "cán bộ sẽ kiểm tra, thường trong 2 ngày làm việc.",
        "en": "Your records in the population register and the beneficiary register differ; "
              "staff will check them, usually within 2 working days."},
    "ACCOUNT_UNKNOWN": {
        "vi": "Ngân hàng/ví không tìm thấy số tài khoản này. Vui lòng kiểm tra lại số và gửi lại.",
        "en": "The institution does not know this account number. Please check it and try again."},
    "ACCOUNT_CLOSED": {
        "vi": "Tài khoản này đã đóng. Vui lòng liên kết một tài khoản đang hoạt động.",
        "en": "This account is closed. Please link an account that is open."},
    "WALLET_OTHER_PERSON": {
        "vi": "Ví này đăng ký theo số định danh của người khác. Vui lòng liên kết ví đứng tên "
              "bạn, hoặc đăng ký người nhận thay.",
        "en": "This wallet is registered to another person's ID. Please link a wallet in your "
              "own name, or name an authorised person."},
    "HOLDER_NAME_DIFFERENT": {
        "vi": "Tài khoản này đứng tên người khác. Vui lòng liên kết tài khoản đứng tên bạn, "
              "hoặc đăng ký người đó làm người nhận thay.",
        "en": "This account is held by someone else. Please link an account in your own name, "
              "or name that person as your authorised person."},
    "HOLDER_NAME_MISMATCH": {
        "vi": "Tên chủ tài khoản hơi khác tên của bạn trong Cơ sở dữ liệu dân cư; cán bộ sẽ "
              "kiểm tra, thường trong 2 ngày làm việc.",
        "en": "The account holder's name differs slightly from your registered name; staff "
              "will check it, usually within 2 working days."},
    "ACCOUNT_LINKED_ELSEWHERE": {
        "vi": "Tài khoản này đang nhận tiền cho một người khác; cán bộ sẽ kiểm tra.",
        "en": "This account already receives another citizen's payments; staff will check it."},
    "AUTHORISATION_NEEDS_APPROVAL": {
        "vi": "Cả hai người đã đồng ý; cán bộ sẽ phê duyệt việc nhận thay.",
        "en": "Both of you have agreed; staff will now approve the authorisation."},
    "AUTHORISED_PERSON_HAS_NO_ACCOUNT": {
        "vi": "Người nhận thay chưa liên kết tài khoản nào. Hãy nhờ họ liên kết trước.",
        "en": "The person you named has no account linked yet. Ask them to link one first."},
    "AUTHORISED_PERSON_DECEASED": {
        "vi": "Người nhận thay được ghi nhận đã mất; vui lòng chọn người khác.",
        "en": "The person you named is recorded as deceased; please name someone else."},
    "DECLINED": {
        "vi": "Người được đề nghị đã từ chối nhận thay.",
        "en": "The person you named declined to receive your payments."},
    "CANCELLED_BY_CITIZEN": {"vi": "Bạn đã hủy yêu cầu.", "en": "You cancelled the request."},
    "UNLINKED_BY_CITIZEN": {
        "vi": "Đã hủy liên kết; các khoản chi trả tiếp theo sẽ nhận bằng tiền mặt tại điểm chi trả.",
        "en": "Unlinked; your next payments will be paid in cash at a paying agent."},
    "REVOKED_BY_AUTHORISED_PERSON": {
        "vi": "Người nhận thay đã thôi nhận; các khoản tiếp theo sẽ nhận bằng tiền mặt.",
        "en": "The authorised person stopped receiving; next payments will be paid in cash."},
    "SUPERSEDED_BY_NEWER": {
        "vi": "Đã được thay bằng tài khoản mới liên kết.",
        "en": "Replaced by the account you linked more recently."},
    # Staff decisions (the fixed list reviewers choose from).
    "HOLDER_NOT_CITIZEN": {
        "vi": "Cán bộ xác định tài khoản không thuộc về bạn.",
        "en": "Staff found that the account does not belong to you."},
    "DOCUMENTS_INSUFFICIENT": {
        "vi": "Chưa đủ giấy tờ để xác minh; vui lòng liên hệ cán bộ xã/phường.",
        "en": "Not enough documents to verify; please contact your commune officer."},
    "SUSPECTED_FRAUD": {
        "vi": "Yêu cầu không được chấp nhận; vui lòng liên hệ cán bộ xã/phường.",
        "en": "The request was not accepted; please contact your commune officer."},
    "SHARED_ACCOUNT_NOT_ALLOWED": {
        "vi": "Tài khoản dùng chung không được chấp nhận; vui lòng liên kết tài khoản riêng.",
        "en": "A shared account cannot be accepted; please link an account of your own."},
    "REGISTER_DATA_UNRESOLVED": {
        "vi": "Thông tin hai cơ sở dữ liệu chưa được điều chỉnh; vui lòng liên hệ cán bộ xã/phường.",
        "en": "The registers have not been corrected yet; please contact your commune officer."},
    "OTHER": {
        "vi": "Yêu cầu không được chấp nhận; xem ghi chú của cán bộ.",
        "en": "The request was not accepted; see the staff note."},
}

NOTIFICATIONS: dict[str, dict[str, dict[str, str]]] = {
    "ACCOUNT_CREATED": {
        "title": {"vi": "Tài khoản an sinh xã hội đã sẵn sàng",
                  "en": "Your social security account is ready"},
        "body": {"vi": "Hãy liên kết tài khoản ngân hàng hoặc ví điện tử để nhận trợ cấp "
                       "trực tiếp, không cần đến điểm chi trả.",
                 "en": "Link a bank or mobile-money account to receive your benefits "
                       "directly, without going to a paying agent."}},
    "LINK_ACTIVE": {
        "title": {"vi": "Đã liên kết tài khoản {account}", "en": "Account {account} linked"},
        "body": {"vi": "Từ kỳ chi trả tới, trợ cấp sẽ được chuyển vào tài khoản {account}.",
                 "en": "From the next payment on, benefits go to account {account}."}},
    "LINK_NEEDS_REVIEW": {
        "title": {"vi": "Yêu cầu liên kết đang được cán bộ kiểm tra",
                  "en": "Your link request is being checked by staff"},
        "body": {"vi": "{reason_text}", "en": "{reason_text}"}},
    "LINK_FAILED": {
        "title": {"vi": "Chưa liên kết được tài khoản {account}",
                  "en": "Account {account} could not be linked"},
        "body": {"vi": "{reason_text}", "en": "{reason_text}"}},
    "LINK_REJECTED": {
        "title": {"vi": "Yêu cầu liên kết không được chấp nhận",
                  "en": "Your link request was not accepted"},
        "body": {"vi": "{reason_text}", "en": "{reason_text}"}},
    "LINK_ENDED": {
        "title": {"vi": "Tài khoản {account} không còn nhận trợ cấp",
                  "en": "Account {account} no longer receives benefits"},
        "body": {"vi": "{reason_text}", "en": "{reason_text}"}},
    "PAYMENT_PAID": {
        "title": {"vi": "Đã chuyển {amount} vào tài khoản của bạn",
                  "en": "{amount} paid into your account"},
        "body": {"vi": "Khoản chi trả kỳ {period} đã được ngân hàng xác nhận.",
                 "en": "The bank confirmed the payment for {period}."}},
    "PAYMENT_FAILED": {
        "title": {"vi": "Chưa chuyển được {amount} kỳ {period}",
                  "en": "{amount} for {period} could not be paid"},
        "body": {"vi": "Ngân hàng từ chối chuyển tiền vào tài khoản đã liên kết. Vui lòng liên "
                       "kết tài khoản khác; kỳ sau khoản này sẽ được chi trả lại vào tài khoản "
                       "mới hoặc bằng tiền mặt.",
                 "en": "The bank refused the transfer into your linked account. Please link "
                       "another account; next cycle this payment is paid again into the new "
                       "account or in cash."}},
    "PAYMENT_CASH_READY": {
        "title": {"vi": "{amount} kỳ {period} sẵn sàng tại điểm chi trả",
                  "en": "{amount} for {period} is ready at your paying agent"},
        "body": {"vi": "Mang căn cước công dân đến điểm chi trả để nhận tiền mặt.",
                 "en": "Bring your citizen ID card to the paying agent to collect it."}},
    "AUTHORISATION_REQUESTED": {
        "title": {"vi": "{name} đề nghị bạn nhận trợ cấp thay",
                  "en": "{name} asks you to receive their benefits"},
        "body": {"vi": "Mở mục Nhận thay để đồng ý hoặc từ chối.",
                 "en": "Open Authorisations to accept or decline."}},
    "AUTHORISATION_DECLINED": {
        "title": {"vi": "Người được đề nghị đã từ chối nhận thay",
                  "en": "Your authorised person declined"},
        "body": {"vi": "{reason_text}", "en": "{reason_text}"}},
}


def current_language() -> str:
    """The language of the request being served (`Accept-Language`), vi by default."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE)


def error_text(code: str, params: dict | None = None, language: str | None = None) -> str:
    texts = ERRORS.get(code) or ERRORS["INTERNAL_ERROR"]
    return texts[language or current_language()].format(**(params or {}))


def format_vnd(amount: int) -> str:
    """1500000 -> '1.500.000 ₫', as Vietnamese readers write it."""
    return f"{amount:,}".replace(",", ".") + " ₫"


def reason_text(reason: str | None, language: str | None = None) -> str | None:
    if reason is None or reason not in REASONS:
        return None
    return REASONS[reason][language or current_language()]


def notification_text(kind: str, part: str, params: dict, language: str | None = None) -> str:
    language = language or current_language()
    values = {**params, "reason_text": reason_text(params.get("reason"), language) or ""}
    if "amount_vnd" in params:
        values["amount"] = format_vnd(params["amount_vnd"])
    return NOTIFICATIONS[kind][part][language].format(**values)
