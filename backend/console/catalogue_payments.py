"""The console's strings for payments: Treasury control, reconciliation and
coverage, in Vietnamese and English. Merged into catalogue.TEXTS and LABELS;
templates and views reach them through `t` and `label` as any other."""
from __future__ import annotations

from backend.models.statuses import PaymentRequestStatus

PAYMENT_TEXTS: dict[str, dict[str, str]] = {
    "nav.payment_requests": {"vi": "Yêu cầu chi trả", "en": "Payment requests"},
    "nav.coverage": {"vi": "Độ phủ không dùng tiền mặt", "en": "Cashless coverage"},
    "home.payment_requests_help": {
        "vi": "Kiểm soát, phê duyệt hoặc từ chối, gửi tệp cho ngân hàng và đối soát.",
        "en": "Control, approve or reject, send the bank files and reconcile."},
    "home.coverage_help": {
        "vi": "Tỷ lệ người hưởng có tài khoản nhận so với mục tiêu 30%.",
        "en": "Share of beneficiaries with a payout account against the 30% target."},

    "field.period": {"vi": "Kỳ chi trả", "en": "Period"},
    "field.count": {"vi": "Số khoản", "en": "Payments"},
    "field.total": {"vi": "Tổng tiền", "en": "Total"},
    "field.checksum": {"vi": "Mã kiểm tra (SHA-256)", "en": "Checksum (SHA-256)"},
    "field.created": {"vi": "Lập lúc", "en": "Created"},
    "field.decided": {"vi": "Quyết định", "en": "Decision"},
    "field.decided_by": {"vi": "Người quyết định", "en": "Decided by"},
    "field.amount": {"vi": "Số tiền", "en": "Amount"},
    "field.outcome": {"vi": "Kết quả", "en": "Outcome"},
    "field.end_to_end_id": {"vi": "Mã giao dịch (EndToEndId)", "en": "End-to-end id"},
    "field.reported_amount": {"vi": "Ngân hàng báo", "en": "Reported by the bank"},
    "field.difference": {"vi": "Chênh lệch", "en": "Difference"},
    "field.share": {"vi": "Tỷ lệ", "en": "Share"},
    "field.beneficiaries": {"vi": "Người hưởng", "en": "Beneficiaries"},
    "field.linked": {"vi": "Có tài khoản nhận", "en": "With a payout account"},
    "field.paid": {"vi": "Khoản đã chi", "en": "Payments made"},
    "field.cashless": {"vi": "Không dùng tiền mặt", "en": "Cashless"},
    "field.meets_target": {"vi": "Đạt mục tiêu", "en": "Meets the target"},
    "field.destination": {"vi": "Hình thức nhận", "en": "Destination"},
    "field.hold_reason": {"vi": "Lý do giữ lại", "en": "Reason held"},

    "payments.title": {"vi": "Yêu cầu chi trả gửi Kho bạc",
                       "en": "Payment requests to the Treasury"},
    "payments.filters": {"vi": "Bộ lọc yêu cầu chi trả", "en": "Payment request filters"},
    "payments.period_help": {"vi": "Tháng, ví dụ 2026-10", "en": "A month, e.g. 2026-10"},
    "payments.caption": {"vi": "{total} yêu cầu, mới nhất trước",
                         "en": "{total} requests, newest first"},
    "payments.empty": {"vi": "Không có yêu cầu chi trả nào khớp bộ lọc.",
                       "en": "No payment request matches these filters."},
    "payments.bad_filter": {
        "vi": "Bộ lọc không hợp lệ ({fields}); đang hiển thị tất cả yêu cầu.",
        "en": "Invalid filter ({fields}); showing every request."},
    "payments.open": {"vi": "Xem yêu cầu #{id}", "en": "Open request #{id}"},

    "payment.title": {"vi": "Yêu cầu chi trả #{id}", "en": "Payment request #{id}"},
    "payment.back": {"vi": "← Về danh sách yêu cầu", "en": "← Back to payment requests"},
    "payment.summary": {"vi": "Yêu cầu như đã lập", "en": "The request as built"},
    "payment.findings": {"vi": "Kết quả kiểm soát (tính lại lúc này)",
                         "en": "Control findings (computed now)"},
    "payment.recomputed": {"vi": "Tính lại: {count} khoản, {total}",
                           "en": "Recomputed: {count} payments, {total}"},
    "payment.totals_match": {"vi": "Số khoản và tổng tiền khớp", "en": "Count and total match"},
    "payment.checksum_match": {"vi": "Mã kiểm tra khớp", "en": "Checksum matches"},
    "payment.match": {"vi": "Khớp", "en": "Match"},
    "payment.mismatch": {"vi": "KHÔNG khớp", "en": "Does NOT match"},
    "payment.deceased": {"vi": "Người hưởng đã chết (theo CSDL dân cư)",
                         "en": "Deceased beneficiaries (population register)"},
    "payment.deceased_help": {
        "vi": "Khoản của người đã chết bị từ chối khi phê duyệt; phần còn lại vẫn được chi.",
        "en": "Their payments are rejected on approval; the rest is paid."},
    "payment.held": {"vi": "Khoản bị giữ lại, không nằm trong yêu cầu",
                     "en": "Payments held back, not in the request"},
    "payment.none_held": {"vi": "Không có khoản nào bị giữ lại.", "en": "No payment is held back."},
    "payment.destinations": {"vi": "Nơi nhận tiền", "en": "Where the money goes"},
    "payment.decision": {"vi": "Quyết định của Kho bạc", "en": "Treasury decision"},
    "payment.decided": {"vi": "Kho bạc đã quyết định: {actor}, lúc {at}. Trạng thái hiện tại: "
                                "«{status}».",
                          "en": "Decided by {actor} at {at}. Status now: “{status}”."},
    "payment.approve_heading": {"vi": "Phê duyệt", "en": "Approve"},
    "payment.approve_help": {
        "vi": "Khoản của người đã chết bị từ chối; khoản tiền mặt được chuyển cho điểm chi trả.",
        "en": "Deceased beneficiaries' payments are rejected; cash payments go to the agents."},
    "payment.approve": {"vi": "Phê duyệt yêu cầu", "en": "Approve the request"},
    "payment.reject_heading": {"vi": "Từ chối", "en": "Reject"},
    "payment.reasons": {"vi": "Lý do từ chối (chọn ít nhất một)",
                        "en": "Reasons for rejection (at least one)"},
    "payment.reject": {"vi": "Từ chối yêu cầu", "en": "Reject the request"},
    "payment.dispatch_heading": {"vi": "Gửi tệp thanh toán cho ngân hàng",
                                 "en": "Send the payment files to the banks"},
    "payment.dispatch_help": {
        "vi": "Một tệp pain.001 cho mỗi ngân hàng/ví. Gửi lại là an toàn: không ai được chi "
              "hai lần.",
        "en": "One pain.001 file per institution. Sending again is safe: nobody is paid twice."},
    "payment.dispatch": {"vi": "Gửi tệp thanh toán", "en": "Send the payment files"},
    "payment.reconciliation_link": {"vi": "Xem đối soát", "en": "See the reconciliation"},
    "payment.approved_done": {"vi": "Đã phê duyệt yêu cầu chi trả #{id}.",
                              "en": "Payment request #{id} approved."},
    "payment.rejected_done": {"vi": "Đã từ chối yêu cầu chi trả #{id}.",
                              "en": "Payment request #{id} rejected."},
    "payment.dispatched_done": {"vi": "Đã gửi {files} tệp, {sent} khoản thanh toán.",
                                "en": "{files} files sent, {sent} payments."},
    "payment.reasons_and_note_needed": {
        "vi": "Vui lòng chọn ít nhất một lý do từ chối và ghi chú (ít nhất 3 ký tự).",
        "en": "Please choose at least one reason and write a note (at least 3 characters)."},
    "payment.refused_decided": {
        "vi": "Không thực hiện được: yêu cầu đã ở trạng thái «{status}».",
        "en": "Refused: the request is already “{status}”."},
    "payment.refused_mismatch": {
        "vi": "Không phê duyệt được: số khoản, tổng tiền hoặc mã kiểm tra không còn khớp. Hãy "
              "từ chối yêu cầu.",
        "en": "Not approved: the count, total or checksum no longer match. Reject the request."},
    "payment.refused_not_approved": {
        "vi": "Không gửi được: chỉ gửi yêu cầu đã được phê duyệt (yêu cầu đang «{status}»).",
        "en": "Not sent: only an approved request is sent (this one is “{status}”)."},

    "reconciliation.title": {"vi": "Đối soát yêu cầu chi trả #{id}",
                             "en": "Reconciliation of payment request #{id}"},
    "reconciliation.back": {"vi": "← Về yêu cầu #{id}", "en": "← Back to request #{id}"},
    "reconciliation.outcomes": {"vi": "Kế hoạch và kết quả chi trả",
                                "en": "Planned against outcomes"},
    "reconciliation.planned": {"vi": "Kế hoạch (theo yêu cầu)", "en": "Planned (as requested)"},
    "reconciliation.accounted": {"vi": "Cộng các kết quả", "en": "All outcomes"},
    "reconciliation.differences": {"vi": "Chênh lệch", "en": "Differences"},
    "reconciliation.no_differences": {"vi": "Không có chênh lệch nào.",
                                      "en": "There is no difference."},
    "reconciliation.difference_count": {"vi": "{count} chênh lệch cần xử lý.",
                                        "en": "{count} differences to resolve."},
    "reconciliation.totals_detail": {
        "vi": "Kế hoạch {planned_count} khoản, {planned}; đã ghi nhận {count} khoản, {amount}.",
        "en": "Planned {planned_count} payments, {planned}; accounted {count}, {amount}."},

    "coverage.title": {"vi": "Độ phủ thanh toán không dùng tiền mặt",
                       "en": "Cashless payment coverage"},
    "coverage.intro": {"vi": "Mục tiêu: {target} người hưởng nhận tiền qua tài khoản.",
                       "en": "Target: {target} of beneficiaries paid into an account."},
    "coverage.linked": {"vi": "Người hưởng có tài khoản nhận đang hoạt động, theo tỉnh và chế độ",
                        "en": "Beneficiaries with an active payout account, by province and "
                              "programme"},
    "coverage.filters": {"vi": "Chọn chế độ và tỉnh", "en": "Choose a programme and province"},
    "coverage.province_help": {"vi": "3 chữ số; để trống để xem mọi tỉnh",
                               "en": "3 digits; leave empty for every province"},
    "coverage.linked_chart": {"vi": "Tỷ lệ có tài khoản nhận theo tỉnh: {programme}",
                              "en": "Share with a payout account by province: {programme}"},
    "coverage.cashless": {"vi": "Tỷ lệ khoản chi không dùng tiền mặt, theo kỳ",
                          "en": "Share of payments made without cash, by period"},
    "coverage.chart_desc": {
        "vi": "Biểu đồ thanh: mỗi thanh là một tỷ lệ; vạch đứng là mục tiêu {target}. Số liệu "
              "đầy đủ ở bảng dưới.",
        "en": "Bar chart: each bar is a share; the vertical line is the {target} target. The "
              "table below holds the same figures."},
    "coverage.target_line": {"vi": "Mục tiêu {target}", "en": "Target {target}"},
    "coverage.no_data": {"vi": "Chưa có số liệu.", "en": "No figures yet."},
}

PAYMENT_LABELS: dict[str, dict[str, dict[str, str]]] = {
    "request_status": {
        PaymentRequestStatus.SUBMITTED: {"vi": "Chờ Kho bạc kiểm soát",
                                         "en": "Awaiting Treasury control"},
        PaymentRequestStatus.APPROVED: {"vi": "Đã phê duyệt", "en": "Approved"},
        PaymentRequestStatus.REJECTED: {"vi": "Bị từ chối", "en": "Rejected"},
        PaymentRequestStatus.DISPATCHED: {"vi": "Đã gửi ngân hàng", "en": "Sent to the banks"},
    },
    "treasury_rejection": {
        "TOTALS_MISMATCH": {"vi": "Tổng tiền không khớp", "en": "Totals do not match"},
        "CHECKSUM_MISMATCH": {"vi": "Mã kiểm tra không khớp", "en": "Checksum does not match"},
        "DUPLICATE_CLAIMS": {"vi": "Có khoản trùng lặp", "en": "Duplicate claims"},
        "INELIGIBLE_BENEFICIARIES": {"vi": "Có người hưởng không đủ điều kiện",
                                     "en": "Ineligible beneficiaries"},
        "BUDGET_NOT_AVAILABLE": {"vi": "Chưa có dự toán ngân sách", "en": "Budget not available"},
        "OTHER": {"vi": "Lý do khác (ghi rõ trong ghi chú)", "en": "Other (explain in the note)"},
    },
    "outcome": {
        "paid": {"vi": "Đã chi vào tài khoản", "en": "Paid into an account"},
        "failed": {"vi": "Không thành công", "en": "Failed"},
        "cash_paid": {"vi": "Đã chi tiền mặt", "en": "Paid in cash"},
        "cash_ready": {"vi": "Chờ nhận tiền mặt", "en": "Cash waiting at the agent"},
        "rejected": {"vi": "Bị từ chối", "en": "Rejected"},
        "in_progress": {"vi": "Đang xử lý", "en": "In progress"},
    },
    "difference": {
        "TOTALS": {"vi": "Tổng kết quả khác kế hoạch", "en": "Outcomes differ from the plan"},
        "PAID_WITHOUT_SETTLEMENT": {"vi": "Ghi đã chi nhưng ngân hàng chưa xác nhận",
                                    "en": "Paid without a settlement from the bank"},
        "AMOUNT_DIFFERS": {"vi": "Số tiền ngân hàng báo khác",
                           "en": "The bank reports another amount"},
        "NO_RESULT_YET": {"vi": "Chưa có kết quả từ ngân hàng",
                          "en": "No result from the bank yet"},
        "CONFLICTING_RESULTS": {"vi": "Ngân hàng báo kết quả mâu thuẫn",
                                "en": "The bank reported conflicting results"},
    },
    "destination": {
        "bank": {"vi": "Tài khoản ngân hàng", "en": "Bank account"},
        "mobile_money": {"vi": "Ví điện tử (Mobile Money)", "en": "Mobile-money wallet"},
        "cash": {"vi": "Tiền mặt tại điểm chi trả", "en": "Cash at a paying agent"},
    },
    "hold": {
        "DUPLICATE_CLAIM": {"vi": "Trùng lặp", "en": "Duplicate claim"},
        "DECEASED": {"vi": "Người hưởng đã chết", "en": "Beneficiary deceased"},
    },
}
