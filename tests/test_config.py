"""Configuration from the environment; production refuses development secrets."""
from __future__ import annotations

import base64

import pytest

from backend.app import create_app
from backend.config import Config, ConfigError

FERNET_KEY = base64.urlsafe_b64encode(b"k" * 32).decode()
STRONG = {"SSA_SECRET_KEY": "s" * 40, "SSA_JWT_SECRET_KEY": "j" * 40,
          "SSA_DATA_ENCRYPTION_KEY": FERNET_KEY, "SSA_LOOKUP_HASH_KEY": "h" * 40,
          "SSA_AUDIT_KEY": "a" * 40, "SSA_AUDIT_CHECKPOINT_KEY": "c" * 40,
          "SSA_BANK_GATEWAY_SECRET": "g" * 40}


def test_embedded_default_generates_secrets_once(tmp_path):
    first = Config(environ={}, instance_path=tmp_path)
    second = Config(environ={}, instance_path=tmp_path)
    assert first.JWT_SECRET_KEY == second.JWT_SECRET_KEY
    assert len({first.SECRET_KEY, first.JWT_SECRET_KEY, first.DATA_ENCRYPTION_KEY}) == 3
    assert (tmp_path / "dev-secrets.json").stat().st_mode & 0o077 == 0
    assert f"sqlite:///{tmp_path / 'ssa.sqlite3'}" == first.DATABASE_URL


def test_production_without_secrets_refuses_to_start(tmp_path):
    with pytest.raises(ConfigError, match="SSA_JWT_SECRET_KEY"):
        create_app(Config(environ={"SSA_ENV": "production"}, instance_path=tmp_path))


def test_production_refuses_the_development_secrets(tmp_path):
    development = Config(environ={}, instance_path=tmp_path)
    reused = {**STRONG, "SSA_ENV": "production", "SSA_JWT_SECRET_KEY": development.JWT_SECRET_KEY}
    with pytest.raises(ConfigError, match="development secrets"):
        Config(environ=reused, instance_path=tmp_path)


def test_production_refuses_short_or_repeated_secrets(tmp_path):
    with pytest.raises(ConfigError, match="at least"):
        Config(environ={**STRONG, "SSA_ENV": "production", "SSA_SECRET_KEY": "short"},
               instance_path=tmp_path)
    same = {name: FERNET_KEY for name in STRONG}
    with pytest.raises(ConfigError, match="different"):
        Config(environ={**same, "SSA_ENV": "production"}, instance_path=tmp_path)


def test_production_refuses_an_encryption_key_fernet_cannot_use(tmp_path):
    with pytest.raises(ConfigError, match="32 bytes"):
        Config(environ={**STRONG, "SSA_ENV": "production",
                        "SSA_DATA_ENCRYPTION_KEY": "d" * 40}, instance_path=tmp_path)


def test_production_refuses_rate_limits_counted_per_process(tmp_path):
    with pytest.raises(ConfigError, match="SSA_RATELIMIT_STORAGE_URI"):
        Config(environ={**STRONG, "SSA_ENV": "production"}, instance_path=tmp_path)


def test_production_with_its_own_secrets_starts(tmp_path):
    config = Config(environ={**STRONG, "SSA_ENV": "production",
                             "SSA_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
                             "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}"},
                    instance_path=tmp_path)
    assert config.JWT_SECRET_KEY == "j" * 40
    assert not (tmp_path / "dev-secrets.json").exists()
