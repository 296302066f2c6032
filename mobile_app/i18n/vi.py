"""Tiếng Việt: the default language. Keys are shared with en.py (a test checks)."""

STRINGS = {
    "app.name": "An sinh xã hội",
    "app.tagline": "Tiện ích trên ứng dụng định danh điện tử",
    "app.badge": "eID",
    "language.vi": "Tiếng Việt",
    "language.en": "English",

    "common.wait": "Đang xử lý…",
    "common.loading": "Đang tải…",
    "common.retry": "Thử lại",
    "common.close": "Đóng",
    "common.not_now": "Để sau",
    "common.sign_in_again": "Đăng nhập lại",
    "common.how_to_level2": "Cách nâng lên mức độ 2",
    "common.back_home": "Về trang chủ",

    "login.title": "Đăng nhập",
    "login.other_language": "English",
    "login.personal_id": "Số định danh cá nhân (12 số)",
    "login.personal_id_hint": "Ví dụ: 001161063655",
    "login.password": "Mật khẩu",
    "login.password_hint": "Nhập mật khẩu",
    "login.sign_in": "Đăng nhập",
    "login.help": "Dùng số định danh cá nhân và mật khẩu của tài khoản định danh điện tử.",

    "otp.title": "Mã xác thực",
    "otp.explain": "Mở ứng dụng xác thực trên điện thoại và nhập mã 6 số đang hiển thị.",
    "otp.code": "Mã xác thực (6 số)",
    "otp.placeholder": "• • • • • •",
    "otp.expires_in": "Thời gian còn lại để nhập mã: {time}",
    "otp.expired": "Đã hết thời gian nhập mã. Vui lòng đăng nhập lại.",
    "otp.confirm": "Xác nhận",
    "otp.restart": "Quay lại đăng nhập",

    "home.hello": "Xin chào,",
    "home.level": "Tài khoản định danh điện tử mức độ {level}",
    "home.services": "TIỆN ÍCH",
    "home.tile_title": "Tài khoản an sinh xã hội",
    "home.tile_linked": "Đang nhận tiền vào {institution} {account}",
    "home.tile_pending": "Yêu cầu liên kết: {status}",
    "home.tile_not_linked": "Chưa liên kết tài khoản nhận tiền",
    "home.tile_level2": "Cần tài khoản định danh mức độ 2",
    "home.notifications": "Thông báo",
    "home.unread": "{count} thông báo chưa đọc",
    "home.no_unread": "Không có thông báo mới",
    "home.settings": "Cài đặt",
    "home.settings_hint": "Ngôn ngữ, đăng xuất",

    "level2.title": "Cần định danh mức độ 2",
    "level2.chip": "Tài khoản mức độ 1",
    "level2.why": "Để nhận lương hưu và trợ cấp vào tài khoản, Nhà nước cần chắc chắn đúng là "
                  "bạn. Vì vậy tài khoản an sinh xã hội chỉ dùng được với tài khoản định danh "
                  "điện tử mức độ 2. Tài khoản của bạn hiện ở mức độ 1.",
    "level2.how_title": "Cách nâng lên mức độ 2",
    "level2.step1": "Mang căn cước công dân gắn chip đến Công an xã, phường nơi bạn cư trú.",
    "level2.step2": "Cán bộ chụp ảnh chân dung, lấy vân tay và gửi hồ sơ nâng cấp cho bạn.",
    "level2.step3": "Khi nhận được tin nhắn đã nâng cấp, đăng nhập lại ứng dụng.",

    "account.title": "Tài khoản an sinh xã hội",
    "account.payout_title": "Tài khoản nhận tiền",
    "account.receiving": "Đang nhận tiền",
    "account.no_payout_chip": "Chưa liên kết",
    "account.no_payout": "Bạn đang nhận trợ cấp bằng tiền mặt. Liên kết tài khoản ngân hàng "
                         "hoặc ví điện tử để nhận tiền ngay, không phải đi lại.",
    "account.number": "Số tài khoản: {account}",
    "account.holder": "Chủ tài khoản: {holder}",
    "account.since": "Từ ngày: {date}",
    "account.latest_link": "Yêu cầu liên kết {institution} {account}",
    "account.link_payout": "Liên kết tài khoản nhận tiền",
    "account.change_payout": "Đổi tài khoản nhận tiền",
    "account.programmes_title": "Chế độ đang hưởng",
    "account.no_programmes": "Chưa có chế độ nào trong danh sách hưởng.",
    "account.monthly": "{amount} mỗi tháng, từ {date}",
    "account.details_title": "Thông tin cá nhân",
    "account.full_name": "Họ và tên",
    "account.personal_id": "Số định danh cá nhân",
    "account.date_of_birth": "Ngày sinh",
    "account.phone": "Số điện thoại",

    "choose.title": "Chọn nơi nhận tiền",
    "choose.banks": "Ngân hàng",
    "choose.wallets": "Ví điện tử",
    "choose.search_hint": "Tìm theo tên, ví dụ: Vietcombank",

    "link.title": "Liên kết tài khoản",
    "link.bank": "Ngân hàng",
    "link.wallet": "Ví điện tử",
    "link.change_institution": "Chọn nơi khác",
    "link.account_number": "Số tài khoản ngân hàng",
    "link.wallet_number": "Số điện thoại đăng ký ví",
    "link.account_number_hint": "Chỉ nhập chữ số",
    "link.consent_title": "Đồng ý chia sẻ thông tin",
    "link.consent_agree": "Tôi đã đọc và đồng ý",
    "link.code": "Mã xác thực mới (6 số)",
    "link.code_hint": "Liên kết tài khoản là thao tác quan trọng nên cần nhập mã mới. Mỗi mã "
                      "chỉ dùng được một lần; nếu vừa dùng mã để đăng nhập, hãy chờ mã tiếp theo.",
    "link.submit": "Gửi yêu cầu liên kết",

    "status.title": "Trạng thái liên kết",
    "status.account": "{institution} {account}",
    "status.checking": "Hệ thống đang kiểm tra, màn hình sẽ tự cập nhật.",
    "status.timeline": "Quá trình xử lý",
    "status.cancel": "Hủy yêu cầu này",
    "status.cancel_question": "Bạn có chắc muốn hủy yêu cầu liên kết này không?",
    "status.cancel_yes": "Hủy yêu cầu",
    "status.cancel_no": "Không hủy",

    "link_status.SUBMITTED": "Đã gửi yêu cầu",
    "link_status.VERIFYING": "Đang xác minh",
    "link_status.NEEDS_REVIEW": "Cán bộ đang kiểm tra",
    "link_status.ACTIVE": "Đã liên kết",
    "link_status.REJECTED": "Không được chấp nhận",
    "link_status.FAILED": "Không liên kết được",
    "link_status.CANCELLED": "Đã hủy",
    "link_status.SUPERSEDED": "Đã thay bằng tài khoản mới",
    "link_status.UNLINKED": "Đã hủy liên kết",

    "actor.citizen": "Bạn thực hiện",
    "actor.system": "Hệ thống tự động",
    "actor.staff": "Cán bộ xử lý",
    "actor.authorised_person": "Người nhận thay thực hiện",

    "notifications.title": "Thông báo",
    "notifications.hint": "Chạm vào thông báo để đánh dấu đã đọc.",
    "notifications.none": "Bạn chưa có thông báo nào.",
    "notifications.unread": "Chưa đọc",
    "notifications.read": "Đã đọc",

    "settings.title": "Cài đặt",
    "settings.language": "Ngôn ngữ",
    "settings.signed_in_as": "Đang đăng nhập",
    "settings.sign_out": "Đăng xuất",

    "error.timeout": "Máy chủ phản hồi chậm nên chưa xong. Thông tin của bạn chưa bị thay "
                     "đổi. Vui lòng bấm Thử lại.",
    "error.no_connection": "Không kết nối được. Vui lòng kiểm tra mạng di động hoặc Wi-Fi "
                           "rồi bấm Thử lại.",
    "error.session_ended": "Phiên đăng nhập đã kết thúc để bảo vệ tài khoản của bạn. Vui "
                           "lòng đăng nhập lại.",
    "error.server": "Hệ thống đang bận hoặc gặp sự cố. Thông tin của bạn chưa bị thay đổi. "
                    "Vui lòng thử lại sau ít phút.",
    "error.unexpected": "Đã có lỗi xảy ra. Vui lòng thử lại sau.",
    "error.INVALID_CREDENTIALS": "Số định danh cá nhân hoặc mật khẩu chưa đúng. Vui lòng "
                                 "kiểm tra lại và nhập lại.",
    "error.OTP_INVALID": "Mã xác thực chưa đúng. Vui lòng nhập mã đang hiển thị trên ứng "
                         "dụng xác thực.",
    "error.OTP_REPLAYED": "Mã này đã được dùng rồi. Vui lòng chờ mã mới (tối đa 30 giây) "
                          "rồi nhập lại.",
    "error.CHALLENGE_EXPIRED": "Đã quá 5 phút kể từ khi nhập mật khẩu. Vui lòng đăng nhập lại.",
    "error.CHALLENGE_INVALID": "Lượt đăng nhập này không còn dùng được. Vui lòng đăng nhập lại.",
    "error.ACCOUNT_LOCKED": "Tài khoản tạm khóa vì nhập sai nhiều lần. Bạn có thể thử lại "
                            "sau {retry_at}.",
    "error.ACCOUNT_LOCKED_PERMANENTLY": "Tài khoản đã bị khóa vì nhập sai quá nhiều lần. "
                                        "Vui lòng gọi tổng đài hoặc đến Công an xã, phường "
                                        "nơi cư trú để mở khóa.",
    "error.IAL2_REQUIRED": "Tính năng này cần tài khoản định danh điện tử mức độ 2.",
    "error.STEP_UP_REQUIRED": "Vui lòng nhập mã xác thực mới để tiếp tục.",
    "error.FORBIDDEN": "Bạn không được phép thực hiện thao tác này.",
    "error.NOT_FOUND": "Không tìm thấy thông tin này. Có thể thông tin đã thay đổi.",
    "error.CONFLICT": "Bạn đang có một yêu cầu liên kết chưa xử lý xong, hoặc yêu cầu đã "
                      "thay đổi. Vui lòng xem lại trạng thái.",
    "error.RATE_LIMITED": "Bạn thao tác quá nhanh. Vui lòng chờ một phút rồi thử lại.",
    "error.IDEMPOTENCY_KEY_REUSED": "Yêu cầu này đã được gửi với nội dung khác. Vui lòng "
                                    "nhập lại từ đầu.",
    "error.VALIDATION_ERROR": "Thông tin nhập chưa đúng:",
}
