"""Every console string comes from the one catalogue, in both languages, and
no page carries inline script."""
from __future__ import annotations

import re
from pathlib import Path

from backend.console import catalogue

CONSOLE = Path(catalogue.__file__).parent
TEMPLATES = sorted((CONSOLE / "templates" / "console").glob("*.html"))
SOURCES = sorted(CONSOLE.glob("*.py"))
# `t(...)` in views, Flask-Babel's `_(...)` in templates.
_KEY_USE = re.compile(r"""(?<![\w.])[t_]\(\s*["']([a-z_.0-9]+)["']\s*[,)]""")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_TAG = re.compile(r"<[^>]*>", re.S)


def test_every_text_has_both_languages():
    for key, texts in catalogue.TEXTS.items():
        assert set(texts) == set(catalogue.LANGUAGES), key
        assert all(texts.values()), key
    for group, values in catalogue.LABELS.items():
        for value, texts in values.items():
            assert set(texts) == set(catalogue.LANGUAGES), (group, value)


def test_every_key_used_exists():
    used = {key for path in TEMPLATES + SOURCES for key in _KEY_USE.findall(path.read_text())}
    assert used, "no catalogue key found in use"
    # Keys built at run time (the language switch) are checked by name here.
    used |= {f"language.switch_to_{code}" for code in catalogue.LANGUAGES}
    assert not used - set(catalogue.TEXTS)


def test_templates_hold_no_words_of_their_own():
    for path in TEMPLATES:
        visible = _TAG.sub(" ", _JINJA.sub(" ", path.read_text()))
        words = re.findall(r"[^\W\d_]{2,}", visible)
        assert not words, f"{path.name} hard-codes {words[:5]}"


def test_no_inline_script_or_event_handler():
    for path in TEMPLATES:
        markup = path.read_text()
        assert "<script" not in markup.lower(), path.name
        assert not re.search(r"\son[a-z]+\s*=", markup, re.I), path.name
        assert "style=" not in markup, path.name  # the policy forbids inline style too
    assert not list((CONSOLE / "static").glob("*.js"))
