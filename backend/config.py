"""The one place that reads the environment.

Every setting is read here, cast to its type, and handed to Flask as upper-case
attributes. Tests subclass `Config` and override attributes.
"""
from __future__ import annotations

import base64
import json
import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent

# Secrets the service cannot run without. In the embedded default they are
# generated once into the instance folder; in production they must come from
# the environment, because a file next to the code is not a secret store.
SECRET_NAMES = ("SECRET_KEY", "JWT_SECRET_KEY", "DATA_ENCRYPTION_KEY", "LOOKUP_HASH_KEY",
                "AUDIT_KEY", "AUDIT_CHECKPOINT_KEY", "BANK_GATEWAY_SECRET")
MIN_SECRET_LENGTH = 32


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the service refuses to start."""


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(value: str | None, default: int) -> int:
    return default if value in (None, "") else int(value)


def _seconds_range(value: str | None) -> tuple[float, float]:
    low, _, high = (value or "0").partition("-")
    return float(low), float(high or low)


def _inquiry_limits(value: str | None) -> dict[str, tuple[int, timedelta | None]]:
    """{"VCB": (200, 120 s)} from "VCB=200/120,MOMO=50"."""
    limits: dict[str, tuple[int, timedelta | None]] = {}
    for entry in filter(None, (part.strip() for part in (value or "").split(","))):
        code, _, figures = entry.partition("=")
        open_limit, _, timeout = figures.partition("/")
        limits[code.strip()] = (int(open_limit),
                                timedelta(seconds=int(timeout)) if timeout else None)
    return limits


def _institution_secrets(value: str | None) -> dict[str, str]:
    """{"VCB": "…"} from "VCB=<secret>,MOMO=<secret>" (a secret may end in '=')."""
    secrets_of: dict[str, str] = {}
    for entry in filter(None, (part.strip() for part in (value or "").split(","))):
        code, _, secret = entry.partition("=")
        secrets_of[code.strip()] = secret.strip()
    return secrets_of


def _is_fernet_key(value: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(value.encode())) == 32
    except ValueError:
        return False


def _new_secret() -> str:
    # 32 random bytes, urlsafe base64: valid as a Fernet key and as an HMAC key.
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def load_development_secrets(instance_path: Path) -> dict[str, str]:
    """Read, or create on first run, the development secrets of this instance."""
    secrets_file = instance_path / "dev-secrets.json"
    stored = json.loads(secrets_file.read_text()) if secrets_file.exists() else {}
    missing = [name for name in SECRET_NAMES if name not in stored]
    if missing:
        stored.update({name: _new_secret() for name in missing})
        instance_path.mkdir(parents=True, exist_ok=True)
        secrets_file.write_text(json.dumps(stored, indent=1))
        secrets_file.chmod(0o600)
    return stored


class Config:
    """Settings of one running service, read from `environ` at construction."""

    TESTING = False
    PROPAGATE_EXCEPTIONS = False

    # flask-smorest / OpenAPI
    API_TITLE = "Social Security Account API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    # Served by this app from the swagger-ui-py package: no CDN, works offline.
    OPENAPI_SWAGGER_UI_URL = "/api/v1/docs/assets/"
    # Every operation needs a bearer token unless it says `security: []` (the public ones).
    API_SPEC_OPTIONS: dict[str, Any] = {"security": [{"bearerAuth": []}]}

    # Tokens and sessions (API.md, issue 3)
    JWT_TOKEN_LOCATION = ["headers"]
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(minutes=15)
    SESSION_MAX_AGE = timedelta(hours=12)
    LOGIN_CHALLENGE_TTL = timedelta(minutes=5)
    TOTP_STEP_SECONDS = 30

    # Lockout (services/identity/lockout.py): a back-off from the 5th attempt,
    # capped at minutes so that strangers cannot keep the owner out for a day;
    # NIST SP 800-63B caps consecutive failures at 100.
    LOCKOUT_THRESHOLD = 5
    LOCKOUT_BASE = timedelta(minutes=1)
    LOCKOUT_MAX = timedelta(minutes=15)
    LOCKOUT_HARD_LIMIT = 100

    # Staff web console (issue 7): a signed cookie session; its absolute limit
    # is SESSION_MAX_AGE, like the API's sessions.
    CONSOLE_IDLE_TIMEOUT = timedelta(minutes=30)
    SESSION_COOKIE_NAME = "ssa_console"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Strict"
    # CSRF is checked only where a view asks (the console); the REST API
    # authenticates with bearer tokens, which a browser never sends by itself.
    WTF_CSRF_CHECK_DEFAULT = False
    WTF_CSRF_TIME_LIMIT = int(timedelta(hours=12).total_seconds())

    def __init__(self, environ: Mapping[str, str] | None = None,
                 instance_path: Path | None = None):
        environ = os.environ if environ is None else environ
        self.INSTANCE_PATH = Path(environ.get("SSA_INSTANCE_PATH") or instance_path
                                  or REPO_ROOT / "instance")
        self.ENV = environ.get("SSA_ENV", "development")
        self.DEMO_MODE = _bool(environ.get("SSA_DEMO_MODE"), False)
        # `ssa demo` opens the phone simulator too where there is a screen for it.
        self.HAS_DISPLAY = bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))
        # Plain http is only acceptable on a developer's own machine.
        self.SESSION_COOKIE_SECURE = self.ENV != "development"
        self.DATABASE_URL = environ.get("DATABASE_URL") or \
            f"sqlite:///{self.INSTANCE_PATH / 'ssa.sqlite3'}"
        self.FIXTURES_DIR = Path(environ.get("SSA_FIXTURES_DIR") or REPO_ROOT / "fixtures")
        # Request bounds (backend/request_guard.py): bodies are read no further.
        self.MAX_CONTENT_LENGTH = _int(environ.get("SSA_MAX_REQUEST_BYTES"), 1024 * 1024)
        # Payroll and bank result files, uploaded through the API.
        self.MAX_UPLOAD_BYTES = _int(environ.get("SSA_MAX_UPLOAD_BYTES"), 200 * 1024 * 1024)
        self.MAX_JSON_DEPTH = _int(environ.get("SSA_MAX_JSON_DEPTH"), 20)
        self.RATELIMIT_ENABLED = _bool(environ.get("SSA_RATELIMIT_ENABLED"), True)
        # memory:// keeps limits per process; production points this at Redis
        # so every worker on every host shares one count.
        self.RATELIMIT_STORAGE_URI = environ.get("SSA_RATELIMIT_STORAGE_URI", "memory://")
        # Where every worker learns that a session ended (logout, reuse, lockout):
        # a redis:// URL in production; unset, the database (or, on the embedded
        # SQLite default, memory checked against it). The prefix keeps the keys
        # of services sharing one Redis apart.
        self.SESSION_STORE_URL = environ.get("SSA_SESSION_STORE_URL") or None
        self.SESSION_STORE_PREFIX = environ.get("SSA_SESSION_STORE_PREFIX") or "ssa"
        self.LOGIN_RATE_LIMIT = environ.get("SSA_LOGIN_RATE_LIMIT", "30 per minute")
        # How many proxies in front of the service set X-Forwarded-For/-Proto/-Host;
        # only their entries are believed, so rate limits key on the real client.
        # 0: clients connect directly and those headers are ignored.
        self.TRUSTED_PROXY_HOPS = _int(environ.get("SSA_TRUSTED_PROXY_HOPS"), 0)
        # Who may read /metrics: a bearer token, or else only a direct local client.
        self.METRICS_TOKEN = environ.get("SSA_METRICS_TOKEN") or None
        # Set by the gunicorn configuration: the workers' metrics are added up there.
        self.METRICS_MULTIPROCESS_DIR = environ.get("PROMETHEUS_MULTIPROC_DIR") or None
        self.LOG_LEVEL = (environ.get("SSA_LOG_LEVEL") or "INFO").upper()
        # Clients are told when they may retry (Retry-After, X-RateLimit-*).
        self.RATELIMIT_HEADERS_ENABLED = True
        # argon2id cost (RFC 9106 low-memory profile by default).
        self.ARGON2_TIME_COST = _int(environ.get("SSA_ARGON2_TIME_COST"), 3)
        self.ARGON2_MEMORY_COST = _int(environ.get("SSA_ARGON2_MEMORY_COST"), 65536)
        self.ARGON2_PARALLELISM = _int(environ.get("SSA_ARGON2_PARALLELISM"), 4)
        # "inprocess" (a SQLite-backed queue consumed by threads of this process)
        # or a redis:// URL consumed by `ssa worker` on any host.
        self.TASK_QUEUE_URL = environ.get("SSA_TASK_QUEUE_URL") or "inprocess"
        self.TASK_QUEUE_NAME = environ.get("SSA_TASK_QUEUE_NAME") or "ssa"
        self.TASK_RETRIES = _int(environ.get("SSA_TASK_RETRIES"), 5)
        self.TASK_RETRY_DELAY = _int(environ.get("SSA_TASK_RETRY_DELAY"), 30)
        # A request untouched this long in SUBMITTED/VERIFYING is queued again.
        self.STALLED_AFTER = timedelta(seconds=_int(environ.get("SSA_STALLED_AFTER_SECONDS"),
                                                    600))
        # Money safety (issue 15): a payout account that replaces another is not
        # paid for this long; a reviewer's claim lapses after this much idle time;
        # cash not collected within this many days returns to the Treasury.
        self.PAYOUT_COOLING_OFF = timedelta(hours=_int(
            environ.get("SSA_PAYOUT_COOLING_OFF_HOURS"), 72))
        self.REVIEW_CLAIM_TIMEOUT = timedelta(minutes=_int(
            environ.get("SSA_REVIEW_CLAIM_MINUTES"), 30))
        # The step-up passcode (services/identity/passcodes.py): its own count, locked
        # after this many failures in a row, since 6 digits are few; a one-time code
        # sets a new one. A first link of the citizen's own account within this many
        # minutes of signing in needs no further step-up: its code was just typed.
        self.PASSCODE_LOCK_LIMIT = _int(environ.get("SSA_PASSCODE_LOCK_LIMIT"), 10)
        self.SIGN_IN_STEP_UP_WINDOW = timedelta(minutes=_int(
            environ.get("SSA_SIGN_IN_STEP_UP_MINUTES"), 5))
        # A lost-phone recovery not finished in this time expires.
        self.RECOVERY_TTL = timedelta(hours=_int(environ.get("SSA_RECOVERY_HOURS"), 72))
        # Support answers a payment problem report within this many days.
        self.PAYMENT_REPORT_TIME_LIMIT = timedelta(days=_int(
            environ.get("SSA_PAYMENT_REPORT_DAYS"), 5))
        self.CASH_COLLECTION_DAYS = _int(environ.get("SSA_CASH_COLLECTION_DAYS"), 30)
        # A period's requests are built, approved and paid out in this many
        # province parts side by side (PostgreSQL only): one per core, at most
        # 8 by default. Each takes up to two connections, and the pool is
        # sized for them (`db.make_engine`).
        self.PAYMENT_PARTS = max(1, _int(environ.get("SSA_PAYMENT_PARTS"),
                                         min(os.cpu_count() or 1, 8)))
        # Where bank files are written before they are handed to the gateway.
        self.DISPATCH_DIR = Path(environ.get("SSA_DISPATCH_DIR") or self.INSTANCE_PATH / "dispatch")
        # A sealed bank file the gateway never acknowledged is removed after this
        # many days (`ssa bank-files sweep`, and the worker every hour).
        self.BANK_FILE_RETENTION_DAYS = _int(environ.get("SSA_BANK_FILE_RETENTION_DAYS"), 7)
        # Where the bank gateway drops its result files (pain.002, camt.054)
        # and `ssa bank-results pick-up` takes them from.
        self.BANK_RESULTS_DIR = Path(environ.get("SSA_BANK_RESULTS_DIR")
                                     or self.INSTANCE_PATH / "bank-results")
        # The simulated Treasury account's balance: transfers beyond it are
        # refused AM04 (insufficient funds). Unset: no limit.
        balance = environ.get("SSA_SIM_TREASURY_BALANCE_VND")
        self.SIM_TREASURY_BALANCE_VND = int(balance) if balance else None
        # The audit chain's head is checkpointed outside the database (signed files,
        # created once: the directory may be write-once storage) every this many
        # entries and every hour.
        self.AUDIT_CHECKPOINT_DIR = Path(environ.get("SSA_AUDIT_CHECKPOINT_DIR")
                                         or self.INSTANCE_PATH / "audit-checkpoints")
        self.AUDIT_CHECKPOINT_EVERY = _int(environ.get("SSA_AUDIT_CHECKPOINT_EVERY"), 1000)
        # Optional second store of the checkpoints: a redis:// URL (keys under
        # SESSION_STORE_PREFIX); best another Redis than the one sessions use.
        self.AUDIT_CHECKPOINT_STORE_URL = environ.get("SSA_AUDIT_CHECKPOINT_STORE_URL") or None
        # Seconds the simulated institutions take to answer an inquiry: "3", or a
        # range "20-60" (each answer a random time in it).
        self.SIM_INSTITUTION_LATENCY = _seconds_range(environ.get("SSA_SIM_INSTITUTION_LATENCY"))
        # Account-holder inquiries (services/accounts/inquiries.py): how many may be
        # open at one institution at once, how long one may go unanswered before it
        # is timed out, and how many are sent in all before the request goes to a
        # person. SSA_INQUIRY_LIMITS overrides the first two per institution:
        # "VCB=200/120,MOMO=50" (open inquiries, then optionally the timeout in s).
        self.INQUIRY_MAX_OPEN = _int(environ.get("SSA_INQUIRY_MAX_OPEN"), 1000)
        self.INQUIRY_TIMEOUT = timedelta(seconds=_int(environ.get("SSA_INQUIRY_TIMEOUT_SECONDS"),
                                                      90))
        self.INQUIRY_LIMITS = _inquiry_limits(environ.get("SSA_INQUIRY_LIMITS"))
        self.INQUIRY_ATTEMPTS = _int(environ.get("SSA_INQUIRY_ATTEMPTS"), 3)
        # The circuit breaker of each institution: open after this many inquiries in
        # a row timed out or failed; after the cool-down one probe is sent.
        self.INQUIRY_BREAKER_FAILURES = _int(environ.get("SSA_INQUIRY_BREAKER_FAILURES"), 5)
        self.INQUIRY_BREAKER_COOL_DOWN = timedelta(seconds=_int(
            environ.get("SSA_INQUIRY_BREAKER_COOL_DOWN_SECONDS"), 60))
        # What the citizen is told an answer usually takes, until an institution
        # has answered enough inquiries for its own median.
        self.INQUIRY_TYPICAL_SECONDS = _int(environ.get("SSA_INQUIRY_TYPICAL_SECONDS"), 40)
        self.SIM_INSTITUTION_FAILURE_RATE = float(
            environ.get("SSA_SIM_INSTITUTION_FAILURE_RATE") or 0)
        # Each institution's HMAC key for the inquiry reports it posts back
        # ("VCB=<secret>,MOMO=<secret>"); an institution without one cannot call back.
        self.INSTITUTION_CALLBACK_SECRETS = _institution_secrets(
            environ.get("SSA_INSTITUTION_CALLBACK_SECRETS"))
        self._load_secrets(environ)
        if self.is_production:
            self._refuse_per_process_rate_limits()

    @property
    def is_production(self) -> bool:
        return self.ENV == "production"

    def _load_secrets(self, environ: Mapping[str, str]) -> None:
        from_env = {name: environ.get(f"SSA_{name}") for name in SECRET_NAMES}
        if self.is_production:
            self._refuse_development_secrets(from_env)
            values = from_env
        else:
            generated = load_development_secrets(self.INSTANCE_PATH)
            values = {name: from_env[name] or generated[name] for name in SECRET_NAMES}
        for name, value in values.items():
            setattr(self, name, value)

    def _refuse_per_process_rate_limits(self) -> None:
        # Several workers on several hosts: a per-process count would let a client
        # multiply its limit by the number of workers.
        if self.RATELIMIT_ENABLED and self.RATELIMIT_STORAGE_URI.startswith("memory"):
            raise ConfigError("production mode shares rate limits across workers: set "
                              "SSA_RATELIMIT_STORAGE_URI=redis://…")

    def _refuse_development_secrets(self, from_env: dict[str, str | None]) -> None:
        missing = [f"SSA_{name}" for name, value in from_env.items() if not value]
        if missing:
            raise ConfigError("production mode needs these secrets in the environment: "
                              + ", ".join(missing))
        short = [f"SSA_{name}" for name, value in from_env.items()
                 if len(value or "") < MIN_SECRET_LENGTH]
        if short:
            raise ConfigError(f"production secrets must be at least {MIN_SECRET_LENGTH} "
                              "characters: " + ", ".join(short))
        dev_file = self.INSTANCE_PATH / "dev-secrets.json"
        if dev_file.exists():
            dev_values = set(json.loads(dev_file.read_text()).values())
            reused = [f"SSA_{name}" for name, value in from_env.items() if value in dev_values]
            if reused:
                raise ConfigError("production mode refuses development secrets: "
                                  + ", ".join(reused))
        weak = [code for code, secret in self.INSTITUTION_CALLBACK_SECRETS.items()
                if len(secret) < MIN_SECRET_LENGTH]
        if weak:
            raise ConfigError(f"SSA_INSTITUTION_CALLBACK_SECRETS: each secret must be at least "
                              f"{MIN_SECRET_LENGTH} characters: " + ", ".join(weak))
        if len(set(from_env.values())) != len(from_env):
            raise ConfigError("each production secret must be different")
        data_key = from_env["DATA_ENCRYPTION_KEY"]
        assert data_key is not None  # a missing secret was refused above
        if not _is_fernet_key(data_key):
            raise ConfigError("SSA_DATA_ENCRYPTION_KEY must be 32 bytes in urlsafe base64 "
                              "(python -c 'from cryptography.fernet import Fernet; "
                              "print(Fernet.generate_key().decode())')")
