"""Every string the console shows, in Vietnamese (default) and English.

Templates and views ask `t(key, **params)`; `label(group, value)` names a
machine value (a status, a check, a role) and falls back to the value itself
when the catalogue does not know it yet. Errors raised by services keep their
texts in backend/messages.py, shared with the REST API.
"""
from __future__ import annotations

from flask import has_request_context, session

from backend.console.catalogue_payments import PAYMENT_LABELS, PAYMENT_TEXTS
from backend.errors import ApiError
from backend.messages import error_text
from backend.models.statuses import AccountStatus, CheckOutcome, LinkStatus

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

# Audit actions offered in the audit log's filter, in this order.
ACTIONS = ("staff.sign_in", "review.queue_viewed", "review.request_viewed", "review.claimed",
           "review.approved", "review.rejected", "review.reassigned", "case.viewed",
           "treasury.approved", "treasury.rejected", "payments.dispatched")

TEXTS: dict[str, dict[str, str]] = {
    "app.name": {"vi": "Bảng điều khiển An sinh xã hội", "en": "Social Security Console"},
    "nav.skip": {"vi": "Chuyển đến nội dung chính", "en": "Skip to main content"},
    "nav.label": {"vi": "Điều hướng chính", "en": "Main navigation"},
    "nav.queue": {"vi": "Hàng chờ duyệt", "en": "Review queue"},
    "nav.cases": {"vi": "Tra cứu hồ sơ", "en": "Case look-up"},
    "nav.audit": {"vi": "Nhật ký kiểm toán", "en": "Audit log"},
    "nav.claims": {"vi": "Phân công lại", "en": "Reassign requests"},
    "nav.sign_out": {"vi": "Đăng xuất", "en": "Sign out"},
    "language.switch_to_vi": {"vi": "Tiếng Việt", "en": "Tiếng Việt"},
    "language.switch_to_en": {"vi": "English", "en": "English"},
    "yes": {"vi": "Có", "en": "Yes"},
    "no": {"vi": "Không", "en": "No"},

    "sign_in.title": {"vi": "Đăng nhập cán bộ", "en": "Staff sign-in"},
    "sign_in.intro": {"vi": "Dùng tên đăng nhập, mật khẩu và mã xác thực một lần của bạn.",
                      "en": "Use your username, password and one-time code."},
    "sign_in.username": {"vi": "Tên đăng nhập", "en": "Username"},
    "sign_in.password": {"vi": "Mật khẩu", "en": "Password"},
    "sign_in.otp": {"vi": "Mã xác thực (6 chữ số)", "en": "One-time code (6 digits)"},
    "sign_in.otp_help": {"vi": "Mã đang hiển thị trên ứng dụng xác thực của bạn.",
                         "en": "The code your authenticator app shows now."},
    "sign_in.submit": {"vi": "Đăng nhập", "en": "Sign in"},
    "sign_in.incomplete": {
        "vi": "Vui lòng nhập đủ tên đăng nhập, mật khẩu và mã xác thực gồm 6 chữ số.",
        "en": "Please enter your username, password and the 6-digit one-time code."},
    "sign_in.invalid_credentials": {"vi": "Tên đăng nhập hoặc mật khẩu không đúng.",
                                    "en": "The username or password is incorrect."},
    "sign_out.done": {"vi": "Bạn đã đăng xuất.", "en": "You have signed out."},
    "session.ended": {
        "vi": "Phiên làm việc đã kết thúc (quá 30 phút không thao tác hoặc quá 12 giờ). "
              "Vui lòng đăng nhập lại.",
        "en": "Your session has ended (30 minutes without activity, or 12 hours in all). "
              "Please sign in again."},

    "home.title": {"vi": "Trang chính", "en": "Home"},
    "home.greeting": {"vi": "Xin chào, {name}", "en": "Hello, {name}"},
    "home.roles": {"vi": "Vai trò:", "en": "Roles:"},
    "home.queue_help": {"vi": "Các yêu cầu liên kết cần cán bộ kiểm tra, cũ nhất trước.",
                        "en": "Link requests that need a person to check them, oldest first."},
    "home.cases_help": {"vi": "Xem hồ sơ của một công dân theo số định danh cá nhân.",
                        "en": "See a citizen's case by personal ID number."},
    "home.audit_help": {"vi": "Mọi thao tác và lượt tra cứu của cán bộ, kèm kiểm tra toàn vẹn.",
                        "en": "Every staff action and look-up, with the integrity check."},
    "home.claims_help": {"vi": "Giao yêu cầu đang được giữ cho cán bộ khác, hoặc trả lại.",
                         "en": "Hand a held request to another reviewer, or free it."},
    "home.nothing_for_role": {"vi": "Bảng điều khiển chưa có trang nào cho vai trò của bạn.",
                              "en": "The console has no pages for your role yet."},

    "field.status": {"vi": "Trạng thái", "en": "Status"},
    "field.province": {"vi": "Tỉnh/thành", "en": "Province"},
    "field.institution": {"vi": "Ngân hàng/ví", "en": "Institution"},
    "field.reason": {"vi": "Lý do", "en": "Reason"},
    "field.claimed": {"vi": "Người giữ", "en": "Held by"},
    "field.holder": {"vi": "Cán bộ đang giữ", "en": "Held by"},
    "field.request": {"vi": "Yêu cầu", "en": "Request"},
    "field.received": {"vi": "Tiếp nhận lúc", "en": "Received"},
    "field.account": {"vi": "Tài khoản", "en": "Account"},
    "field.kind": {"vi": "Loại", "en": "Kind"},
    "field.personal_id": {"vi": "Số định danh cá nhân", "en": "Personal ID number"},
    "field.full_name": {"vi": "Họ và tên", "en": "Full name"},
    "field.date_of_birth": {"vi": "Ngày sinh", "en": "Date of birth"},
    "field.sex": {"vi": "Giới tính", "en": "Sex"},
    "field.alive": {"vi": "Còn sống", "en": "Alive"},
    "field.holder_name": {"vi": "Tên chủ tài khoản (ngân hàng trả về)",
                          "en": "Holder name (as the institution returned it)"},
    "field.check": {"vi": "Bước kiểm tra", "en": "Check"},
    "field.result": {"vi": "Kết quả", "en": "Result"},
    "field.evidence": {"vi": "Căn cứ", "en": "Evidence"},
    "field.time": {"vi": "Thời gian", "en": "Time"},
    "field.actor": {"vi": "Người thực hiện", "en": "Actor"},
    "field.note": {"vi": "Ghi chú", "en": "Note"},
    "field.rejection_reason": {"vi": "Lý do từ chối", "en": "Reason for rejection"},
    "field.eid_level": {"vi": "Mức định danh điện tử", "en": "eID level"},
    "field.account_status": {"vi": "Tài khoản an sinh xã hội", "en": "Social security account"},
    "field.since": {"vi": "Mở từ", "en": "Open since"},
    "field.programme": {"vi": "Chế độ", "en": "Programme"},
    "field.monthly_amount": {"vi": "Mức hằng tháng", "en": "Monthly amount"},
    "field.action": {"vi": "Thao tác", "en": "Action"},
    "field.entry": {"vi": "Số", "en": "No."},
    "field.target": {"vi": "Đối tượng", "en": "Target"},
    "field.details": {"vi": "Chi tiết", "en": "Details"},

    "filter.any": {"vi": "Tất cả", "en": "Any"},
    "filter.apply": {"vi": "Lọc", "en": "Filter"},
    "filter.clear": {"vi": "Bỏ lọc", "en": "Clear filters"},
    "pager.label": {"vi": "Phân trang", "en": "Pages"},
    "pager.previous": {"vi": "← Trang trước", "en": "← Previous"},
    "pager.next": {"vi": "Trang sau →", "en": "Next →"},
    "pager.position": {"vi": "Trang {page}/{last} · {total} mục",
                       "en": "Page {page} of {last} · {total} items"},

    "queue.title": {"vi": "Hàng chờ duyệt", "en": "Review queue"},
    "queue.counts": {"vi": "Số yêu cầu theo trạng thái", "en": "Requests by status"},
    "queue.filters": {"vi": "Bộ lọc hàng chờ", "en": "Queue filters"},
    "queue.province_help": {"vi": "3 chữ số, ví dụ 001", "en": "3 digits, e.g. 001"},
    "queue.claimed_mine": {"vi": "Tôi đang giữ", "en": "Held by me"},
    "queue.claimed_none": {"vi": "Chưa ai nhận", "en": "Unclaimed"},
    "queue.unclaimed": {"vi": "Chưa ai nhận", "en": "Unclaimed"},
    "queue.caption": {"vi": "{total} yêu cầu, cũ nhất trước",
                      "en": "{total} requests, oldest first"},
    "queue.empty": {"vi": "Không có yêu cầu nào khớp bộ lọc.",
                    "en": "No request matches these filters."},
    "queue.bad_filter": {"vi": "Bộ lọc không hợp lệ ({fields}); đang hiển thị hàng chờ mặc định.",
                         "en": "Invalid filter ({fields}); showing the default queue."},

    "request.title": {"vi": "Yêu cầu liên kết #{id}", "en": "Link request #{id}"},
    "request.back_to_queue": {"vi": "← Về hàng chờ", "en": "← Back to the queue"},
    "request.recorded": {"vi": "Lượt xem này đã được ghi vào nhật ký kiểm toán.",
                         "en": "This view has been recorded in the audit log."},
    "request.claim_heading": {"vi": "Người giữ yêu cầu", "en": "Who holds the request"},
    "request.held_by_you": {"vi": "Bạn đang giữ yêu cầu này (từ {since}).",
                            "en": "You hold this request (since {since})."},
    "request.held_by_other": {
        "vi": "Cán bộ {holder} đang giữ yêu cầu này (từ {since}). Chỉ người giữ mới được quyết "
              "định; giám sát viên có thể phân công lại.",
        "en": "{holder} holds this request (since {since}). Only they can decide it; a "
              "supervisor can reassign it."},
    "request.unclaimed": {"vi": "Chưa ai nhận yêu cầu này. Hãy nhận trước khi quyết định.",
                          "en": "Nobody holds this request yet. Claim it before deciding."},
    "request.register_side": {"vi": "Cơ sở dữ liệu dân cư", "en": "Population register"},
    "request.institution_side": {"vi": "Ngân hàng/ví điện tử", "en": "Institution"},
    "request.not_in_register": {"vi": "Không có trong Cơ sở dữ liệu dân cư",
                                "en": "Not in the population register"},
    "request.no_holder_name": {"vi": "Chưa có (không có kết quả tra cứu chủ tài khoản)",
                               "en": "None (no holder look-up result)"},
    "request.checks": {"vi": "Các bước kiểm tra tự động", "en": "Automatic checks"},
    "request.history": {"vi": "Lịch sử trạng thái", "en": "Status history"},
    "request.decide": {"vi": "Quyết định", "en": "Decision"},
    "request.claim": {"vi": "Nhận xử lý yêu cầu này", "en": "Claim this request"},
    "request.approve_heading": {"vi": "Phê duyệt", "en": "Approve"},
    "request.approve_help": {"vi": "Tài khoản sẽ trở thành tài khoản nhận trợ cấp của công dân.",
                             "en": "The account becomes the citizen's payout account."},
    "request.approve": {"vi": "Phê duyệt", "en": "Approve"},
    "request.reject_heading": {"vi": "Từ chối", "en": "Reject"},
    "request.choose_reason": {"vi": "— Chọn lý do —", "en": "— Choose a reason —"},
    "request.reject": {"vi": "Từ chối", "en": "Reject"},
    "request.claimed_done": {"vi": "Bạn đã nhận yêu cầu này.", "en": "You now hold this request."},
    "request.approved_done": {"vi": "Đã phê duyệt. Tài khoản của công dân đã được kích hoạt.",
                              "en": "Approved. The citizen's account is now active."},
    "request.rejected_done": {"vi": "Đã từ chối yêu cầu. Công dân sẽ nhận được thông báo.",
                              "en": "Rejected. The citizen will be notified."},
    "request.note_needed": {"vi": "Vui lòng ghi chú (ít nhất 3 ký tự) trước khi phê duyệt.",
                            "en": "Please write a note (at least 3 characters) before approving."},
    "request.reason_and_note_needed": {
        "vi": "Vui lòng chọn lý do từ chối và ghi chú (ít nhất 3 ký tự).",
        "en": "Please choose a reason for rejection and write a note (at least 3 characters)."},
    "request.refused_held": {
        "vi": "Không thực hiện được: cán bộ {holder} đang giữ yêu cầu này. Chỉ người giữ mới "
              "được quyết định; hãy liên hệ giám sát viên nếu cần phân công lại.",
        "en": "Refused: {holder} holds this request. Only they can decide it; ask a "
              "supervisor if it should be reassigned."},
    "request.refused_unclaimed": {
        "vi": "Không thực hiện được: hãy nhận yêu cầu trước khi quyết định.",
        "en": "Refused: claim the request before deciding it."},
    "request.refused_decided": {
        "vi": "Không thực hiện được: yêu cầu đã ở trạng thái «{status}».",
        "en": "Refused: the request is already “{status}”."},

    "case.title": {"vi": "Tra cứu hồ sơ công dân", "en": "Look up a citizen's case"},
    "case.help": {"vi": "12 chữ số. Mỗi lượt tra cứu được ghi vào nhật ký kiểm toán.",
                  "en": "12 digits. Every look-up is recorded in the audit log."},
    "case.look_up": {"vi": "Tra cứu", "en": "Look up"},
    "case.recorded": {"vi": "Lượt tra cứu này đã được ghi vào nhật ký kiểm toán.",
                      "en": "This look-up has been recorded in the audit log."},
    "case.not_found": {"vi": "Không tìm thấy công dân có số định danh này.",
                       "en": "No citizen has this personal ID number."},
    "case.person": {"vi": "Thông tin công dân", "en": "Citizen"},
    "case.account": {"vi": "Tài khoản", "en": "Accounts"},
    "case.no_eid": {"vi": "Chưa có tài khoản định danh điện tử", "en": "No eID account"},
    "case.no_account": {"vi": "Chưa mở", "en": "Not opened yet"},
    "case.programmes": {"vi": "Chế độ đang hưởng", "en": "Programmes"},
    "case.no_programmes": {"vi": "Không có trong danh sách hưởng trợ cấp.",
                           "en": "Not in the beneficiary register."},
    "case.links": {"vi": "Lịch sử liên kết tài khoản", "en": "Link history"},
    "case.no_links": {"vi": "Chưa có yêu cầu liên kết nào.", "en": "No link request yet."},

    "audit.title": {"vi": "Nhật ký kiểm toán", "en": "Audit log"},
    "audit.filters": {"vi": "Bộ lọc nhật ký", "en": "Audit log filters"},
    "audit.chain_intact": {"vi": "Chuỗi nhật ký toàn vẹn: đã kiểm tra {checked} mục.",
                           "en": "The audit chain is intact: {checked} entries checked."},
    "audit.chain_broken": {
        "vi": "CẢNH BÁO: chuỗi nhật ký bị phá vỡ tại mục {at} (sau {checked} mục hợp lệ). "
              "Báo ngay cho bộ phận an ninh.",
        "en": "WARNING: the audit chain is broken at entry {at} (after {checked} valid "
              "entries). Tell the security team at once."},
    "audit.actor_help": {"vi": "Ví dụ: staff:reviewer1", "en": "For example: staff:reviewer1"},
    "audit.since": {"vi": "Từ ngày", "en": "From"},
    "audit.until": {"vi": "Đến hết ngày", "en": "To (inclusive)"},
    "audit.caption": {"vi": "{total} mục, mới nhất trước", "en": "{total} entries, newest first"},
    "audit.empty": {"vi": "Không có mục nào khớp bộ lọc.", "en": "No entry matches these filters."},

    "claims.title": {"vi": "Phân công lại yêu cầu", "en": "Reassign requests"},
    "claims.intro": {"vi": "Các yêu cầu đang chờ duyệt và cán bộ đang giữ chúng.",
                     "en": "Requests waiting for review, and who holds them."},
    "claims.caption": {"vi": "{total} yêu cầu chờ duyệt", "en": "{total} requests waiting"},
    "claims.reassign": {"vi": "Giao cho", "en": "Hand to"},
    "claims.to_label": {"vi": "Giao yêu cầu #{id} cho cán bộ", "en": "Hand request #{id} to"},
    "claims.to_placeholder": {"vi": "tên đăng nhập", "en": "username"},
    "claims.to_help": {"vi": "Nhập tên đăng nhập của cán bộ duyệt; để trống để trả yêu cầu về "
                             "hàng chờ.",
                       "en": "Type a reviewer's username; leave it empty to free the request."},
    "claims.submit": {"vi": "Phân công", "en": "Reassign"},
    "claims.empty": {"vi": "Không có yêu cầu nào đang chờ duyệt.",
                     "en": "No request is waiting for review."},
    "claims.reassigned": {"vi": "Đã giao yêu cầu #{id} cho {to}.",
                          "en": "Request #{id} handed to {to}."},
    "claims.freed": {"vi": "Đã trả yêu cầu #{id} về hàng chờ.",
                     "en": "Request #{id} is free again."},
    "claims.refused": {"vi": "Không phân công được yêu cầu #{id}: {why}",
                       "en": "Request #{id} was not reassigned: {why}"},
    "claims.no_such_reviewer": {"vi": "không có cán bộ duyệt với tên đăng nhập này.",
                                "en": "there is no reviewer with this username."},
    "claims.not_pending": {"vi": "yêu cầu không còn chờ duyệt.",
                           "en": "the request is no longer waiting for review."},

    "error.title": {"vi": "Không thực hiện được", "en": "That did not work"},
    "error.back_home": {"vi": "Về trang chính", "en": "Back to the home page"},
    "error.csrf": {
        "vi": "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.",
        "en": "The form has expired or is not valid. Please reload the page and try again."},
}

# Names of machine values, by group; `label` falls back to the value itself.
LABELS: dict[str, dict[str, dict[str, str]]] = {
    "status": {
        LinkStatus.SUBMITTED: {"vi": "Đã gửi", "en": "Submitted"},
        LinkStatus.VERIFYING: {"vi": "Đang kiểm tra", "en": "Verifying"},
        LinkStatus.NEEDS_REVIEW: {"vi": "Cần cán bộ duyệt", "en": "Needs review"},
        LinkStatus.ACTIVE: {"vi": "Đang hoạt động", "en": "Active"},
        LinkStatus.REJECTED: {"vi": "Bị từ chối", "en": "Rejected"},
        LinkStatus.FAILED: {"vi": "Không đạt", "en": "Failed"},
        LinkStatus.CANCELLED: {"vi": "Đã hủy", "en": "Cancelled"},
        LinkStatus.SUPERSEDED: {"vi": "Đã thay thế", "en": "Superseded"},
        LinkStatus.UNLINKED: {"vi": "Đã hủy liên kết", "en": "Unlinked"},
    },
    "result": {
        CheckOutcome.PASS: {"vi": "Đạt", "en": "Pass"},
        CheckOutcome.FAIL: {"vi": "Không đạt", "en": "Fail"},
        CheckOutcome.REVIEW: {"vi": "Cần xem xét", "en": "Needs review"},
        CheckOutcome.ERROR: {"vi": "Lỗi kết nối", "en": "Error"},
    },
    "check": {
        "person_alive": {"vi": "Còn sống (CSDL dân cư)", "en": "Alive (population register)"},
        "registers_agree": {"vi": "Hai cơ sở dữ liệu khớp nhau", "en": "Registers agree"},
        "account_open": {"vi": "Tài khoản đang mở", "en": "Account open"},
        "holder_name": {"vi": "Tên chủ tài khoản", "en": "Holder name"},
        "wallet_owner": {"vi": "Chủ ví", "en": "Wallet owner"},
        "not_linked_elsewhere": {"vi": "Chưa liên kết cho người khác",
                                 "en": "Not linked for someone else"},
        "authorised_person_account": {"vi": "Tài khoản người nhận thay",
                                      "en": "Authorised person's account"},
        "authorised_person_alive": {"vi": "Người nhận thay còn sống",
                                    "en": "Authorised person alive"},
    },
    "rejection": {
        "HOLDER_NOT_CITIZEN": {"vi": "Chủ tài khoản không phải công dân",
                               "en": "Holder is not the citizen"},
        "DOCUMENTS_INSUFFICIENT": {"vi": "Chưa đủ giấy tờ", "en": "Documents insufficient"},
        "SUSPECTED_FRAUD": {"vi": "Nghi ngờ gian lận", "en": "Suspected fraud"},
        "SHARED_ACCOUNT_NOT_ALLOWED": {"vi": "Không chấp nhận tài khoản dùng chung",
                                       "en": "Shared account not allowed"},
        "REGISTER_DATA_UNRESOLVED": {"vi": "Dữ liệu hai CSDL chưa điều chỉnh",
                                     "en": "Register data unresolved"},
        "OTHER": {"vi": "Lý do khác (ghi rõ trong ghi chú)", "en": "Other (explain in the note)"},
    },
    "kind": {
        "bank": {"vi": "Tài khoản ngân hàng", "en": "Bank account"},
        "mobile_money": {"vi": "Ví điện tử (Mobile Money)", "en": "Mobile-money wallet"},
        "authorised_person": {"vi": "Người nhận thay", "en": "Authorised person"},
    },
    "sex": {"male": {"vi": "Nam", "en": "Male"}, "female": {"vi": "Nữ", "en": "Female"}},
    "role": {
        "reviewer": {"vi": "Cán bộ duyệt", "en": "Reviewer"},
        "supervisor": {"vi": "Giám sát viên", "en": "Supervisor"},
        "treasury": {"vi": "Kho bạc", "en": "Treasury"},
        "payroll": {"vi": "Lập danh sách chi trả", "en": "Payroll"},
    },
    "account_status": {AccountStatus.ACTIVE: {"vi": "Đang hoạt động", "en": "Active"}},
    "programme": {
        "pension": {"vi": "Lương hưu", "en": "Retirement pension"},
        "social_allowance": {"vi": "Trợ cấp xã hội hằng tháng",
                             "en": "Monthly social-protection allowance"},
        "merit": {"vi": "Trợ cấp người có công", "en": "Allowance for people with merit"},
        "unemployment": {"vi": "Bảo hiểm thất nghiệp", "en": "Unemployment insurance"},
        "poor_household": {"vi": "Hỗ trợ hộ nghèo", "en": "Poor-household support"},
    },
    "action": {
        "staff.sign_in": {"vi": "Đăng nhập", "en": "Signed in"},
        "review.queue_viewed": {"vi": "Xem hàng chờ", "en": "Viewed the queue"},
        "review.request_viewed": {"vi": "Xem yêu cầu", "en": "Viewed a request"},
        "review.claimed": {"vi": "Nhận yêu cầu", "en": "Claimed a request"},
        "review.approved": {"vi": "Phê duyệt", "en": "Approved"},
        "review.rejected": {"vi": "Từ chối", "en": "Rejected"},
        "review.reassigned": {"vi": "Phân công lại", "en": "Reassigned"},
        "case.viewed": {"vi": "Tra cứu hồ sơ", "en": "Looked up a case"},
        "treasury.approved": {"vi": "Kho bạc phê duyệt", "en": "Treasury approved"},
        "treasury.rejected": {"vi": "Kho bạc từ chối", "en": "Treasury rejected"},
        "payments.dispatched": {"vi": "Gửi tệp thanh toán", "en": "Payment files sent"},
    },
}

# The payments area keeps its strings in a module of its own (catalogue_payments.py).
TEXTS.update(PAYMENT_TEXTS)
LABELS.update(PAYMENT_LABELS)


def current_language() -> str:
    """The language chosen with the switch, kept in the session; Vietnamese first."""
    if has_request_context() and session.get("lang") in LANGUAGES:
        return session["lang"]
    return DEFAULT_LANGUAGE


def t(key: str, **params) -> str:
    # A missing key raises: a typo shows up in the tests, not as a blank on a page.
    return TEXTS[key][current_language()].format(**params)


def label(group: str, value: str | None) -> str:
    if value is None:
        return ""
    names = LABELS[group].get(value)
    return names[current_language()] if names else value


def error_message(error: ApiError) -> str:
    """A service's refusal in the user's language, from the shared catalogue."""
    return error_text(error.message_key, error.message_params, current_language())
