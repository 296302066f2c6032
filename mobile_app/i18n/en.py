"""English, switchable at run time. Same keys as vi.py (a test checks)."""

STRINGS = {
    "app.name": "Social security",
    "app.tagline": "A service in the national eID app",
    "app.badge": "eID",
    "language.vi": "Tiếng Việt",
    "language.en": "English",

    "common.wait": "Working…",
    "common.loading": "Loading…",
    "common.retry": "Try again",
    "common.close": "Close",
    "common.not_now": "Not now",
    "common.sign_in_again": "Sign in again",
    "common.how_to_level2": "How to reach level 2",
    "common.back_home": "Back to home",

    "login.title": "Sign in",
    "login.other_language": "Tiếng Việt",
    "login.personal_id": "Personal ID number (12 digits)",
    "login.personal_id_hint": "For example: 001161063655",
    "login.password": "Password",
    "login.password_hint": "Enter your password",
    "login.sign_in": "Sign in",
    "login.help": "Use the personal ID number and password of your electronic identity.",

    "otp.title": "One-time code",
    "otp.explain": "Open the authenticator app on your phone and enter the 6-digit code it shows.",
    "otp.code": "One-time code (6 digits)",
    "otp.placeholder": "• • • • • •",
    "otp.expires_in": "Time left to enter the code: {time}",
    "otp.expired": "The time to enter the code is over. Please sign in again.",
    "otp.confirm": "Confirm",
    "otp.restart": "Back to sign-in",

    "home.hello": "Hello,",
    "home.level": "Electronic identity, level {level}",
    "home.services": "SERVICES",
    "home.tile_title": "Social security account",
    "home.tile_linked": "Paid into {institution} {account}",
    "home.tile_pending": "Link request: {status}",
    "home.tile_not_linked": "No payout account linked yet",
    "home.tile_level2": "Needs a level-2 electronic identity",
    "home.notifications": "Notifications",
    "home.unread": "{count} unread",
    "home.no_unread": "Nothing new",
    "home.settings": "Settings",
    "home.settings_hint": "Language, sign out",

    "level2.title": "Level 2 needed",
    "level2.chip": "Level-1 account",
    "level2.why": "To pay your pension and allowances into an account, the State must be sure "
                  "it is you. That is why the social security account works only with a "
                  "level-2 electronic identity. Your account is at level 1.",
    "level2.how_title": "How to reach level 2",
    "level2.step1": "Bring your chip-based citizen ID card to the police office of your "
                    "commune or ward.",
    "level2.step2": "The officer takes your photo and fingerprints and sends the upgrade "
                    "request for you.",
    "level2.step3": "When a message says your account was upgraded, sign in to the app again.",

    "account.title": "Social security account",
    "account.payout_title": "Payout account",
    "account.receiving": "Receiving payments",
    "account.no_payout_chip": "Not linked",
    "account.no_payout": "You are paid in cash. Link a bank or mobile-money account to be paid "
                         "straight away, without travelling.",
    "account.number": "Account: {account}",
    "account.holder": "Holder: {holder}",
    "account.since": "Since: {date}",
    "account.latest_link": "Link request {institution} {account}",
    "account.link_payout": "Link a payout account",
    "account.change_payout": "Change payout account",
    "account.programmes_title": "Your programmes",
    "account.no_programmes": "You are not on any beneficiary list yet.",
    "account.monthly": "{amount} a month, since {date}",
    "account.details_title": "Personal details",
    "account.full_name": "Full name",
    "account.personal_id": "Personal ID number",
    "account.date_of_birth": "Date of birth",
    "account.phone": "Phone",

    "choose.title": "Where to be paid",
    "choose.banks": "Banks",
    "choose.wallets": "Mobile money",
    "choose.search_hint": "Search by name, e.g. Vietcombank",

    "link.title": "Link an account",
    "link.bank": "Bank",
    "link.wallet": "Mobile money",
    "link.change_institution": "Choose another",
    "link.account_number": "Bank account number",
    "link.wallet_number": "Phone number of the wallet",
    "link.account_number_hint": "Digits only",
    "link.consent_title": "Consent to share information",
    "link.consent_agree": "I have read this and agree",
    "link.code": "A new one-time code (6 digits)",
    "link.code_hint": "Linking an account is sensitive, so it needs a new code. Each code "
                      "works once; if you just used one to sign in, wait for the next one.",
    "link.submit": "Send link request",

    "status.title": "Link status",
    "status.account": "{institution} {account}",
    "status.checking": "Checks are running; this screen updates by itself.",
    "status.timeline": "What has happened",
    "status.cancel": "Cancel this request",
    "status.cancel_question": "Do you really want to cancel this link request?",
    "status.cancel_yes": "Cancel the request",
    "status.cancel_no": "Keep it",

    "link_status.SUBMITTED": "Request sent",
    "link_status.VERIFYING": "Being verified",
    "link_status.NEEDS_REVIEW": "Being checked by staff",
    "link_status.ACTIVE": "Linked",
    "link_status.REJECTED": "Not accepted",
    "link_status.FAILED": "Could not be linked",
    "link_status.CANCELLED": "Cancelled",
    "link_status.SUPERSEDED": "Replaced by a newer account",
    "link_status.UNLINKED": "Unlinked",

    "actor.citizen": "Done by you",
    "actor.system": "Automatic checks",
    "actor.staff": "Done by staff",
    "actor.authorised_person": "Done by your authorised person",

    "notifications.title": "Notifications",
    "notifications.hint": "Tap a notification to mark it read.",
    "notifications.none": "You have no notifications yet.",
    "notifications.unread": "Unread",
    "notifications.read": "Read",

    "settings.title": "Settings",
    "settings.language": "Language",
    "settings.signed_in_as": "Signed in as",
    "settings.sign_out": "Sign out",

    "error.timeout": "The server is slow and did not finish. Nothing was changed. Please "
                     "tap Try again.",
    "error.no_connection": "No connection. Please check your mobile data or Wi-Fi, then tap "
                           "Try again.",
    "error.session_ended": "Your session has ended to keep your account safe. Please sign in "
                           "again.",
    "error.server": "The service is busy or has a problem. Nothing was changed. Please try "
                    "again in a few minutes.",
    "error.unexpected": "Something went wrong. Please try again later.",
    "error.INVALID_CREDENTIALS": "The personal ID number or the password is not right. Please "
                                 "check them and try again.",
    "error.OTP_INVALID": "The code is not right. Please enter the code your authenticator "
                         "app shows now.",
    "error.OTP_REPLAYED": "This code was already used. Please wait for a new code (at most "
                          "30 seconds) and enter it.",
    "error.CHALLENGE_EXPIRED": "More than 5 minutes have passed since you entered your "
                               "password. Please sign in again.",
    "error.CHALLENGE_INVALID": "This sign-in attempt can no longer be used. Please sign in "
                               "again.",
    "error.ACCOUNT_LOCKED": "Your account is locked for a while after too many wrong "
                            "attempts. You can try again after {retry_at}.",
    "error.ACCOUNT_LOCKED_PERMANENTLY": "Your account is locked after too many wrong attempts. "
                                        "Please call the helpline or visit your commune "
                                        "police office to unlock it.",
    "error.IAL2_REQUIRED": "This service needs a level-2 electronic identity.",
    "error.STEP_UP_REQUIRED": "Please enter a new one-time code to continue.",
    "error.FORBIDDEN": "You are not allowed to do this.",
    "error.NOT_FOUND": "This could not be found. It may have changed.",
    "error.CONFLICT": "You already have a link request in progress, or the request has "
                      "changed. Please look at its status.",
    "error.RATE_LIMITED": "Too many tries too fast. Please wait a minute and try again.",
    "error.IDEMPOTENCY_KEY_REUSED": "This request was already sent with other details. "
                                    "Please start again.",
    "error.VALIDATION_ERROR": "Some details are not right:",
}
