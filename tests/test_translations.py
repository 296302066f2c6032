"""Every gettext catalogue (backend, console, app) says each message in Vietnamese
and in English, with the same placeholders; the compiled .mo files match their
.po sources; and services leave the choice of language to the request layer."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo

import backend
from tests.translations import CATALOGUES, LANGUAGES, catalogue_file

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
_FORMAT_FIELD = re.compile(r"\{\w+\}")  # str.format's, which gettext texts must not use
SERVICES = Path(backend.__file__).parent / "services"


def problems(texts: dict[str, dict[str, str]]) -> list[str]:
    """What is wrong with one catalogue, given as {language: {key: text}}."""
    found = []
    keys = {key for by_key in texts.values() for key in by_key}
    for key in sorted(keys):
        words = {language: texts[language].get(key) for language in LANGUAGES}
        for language, text in words.items():
            if not text:
                found.append(f"{key}: no {language} text")
        if not all(words.values()):
            continue
        placeholders = {language: set(_PLACEHOLDER.findall(text))
                        for language, text in words.items() if text}
        if placeholders["vi"] != placeholders["en"]:
            found.append(f"{key}: placeholders differ {placeholders}")
        for language, text in words.items():
            if _FORMAT_FIELD.search(text or ""):
                found.append(f"{key} ({language}): a {{field}} where %(field)s is meant")
            try:
                (text or "") % dict.fromkeys(placeholders[language], "x")
            except (ValueError, TypeError, KeyError) as broken:
                found.append(f"{key} ({language}): not a valid format ({broken}); write % as %%")
    return found


@pytest.mark.parametrize("domain", sorted(CATALOGUES))
def test_every_message_has_both_languages_with_the_same_placeholders(domain):
    assert CATALOGUES[domain]["vi"], f"the {domain} catalogue is empty"
    assert problems(CATALOGUES[domain]) == []


def test_a_missing_language_or_a_different_placeholder_is_found():
    broken = {"vi": {"greeting": "Xin chào, %(name)s", "bye": "Tạm biệt", "rate": "30%"},
              "en": {"greeting": "Hello, %(full_name)s", "rate": "30%%", "extra": "Only here"}}
    found = problems(broken)
    assert "bye: no en text" in found
    assert "extra: no vi text" in found
    assert any(line.startswith("greeting: placeholders differ") for line in found)
    assert any(line.startswith("rate (vi): not a valid format") for line in found)


@pytest.mark.parametrize("domain", sorted(CATALOGUES))
@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(domain, language):
    with catalogue_file(domain, language, ".mo").open("rb") as mo:
        compiled = {message.id: message.string for message in read_mo(mo) if message.id}
    assert compiled == CATALOGUES[domain][language], "run `make catalogues` and commit the .mo"


def _reads_request_language(tree: ast.AST) -> list[str]:
    reads = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "flask":
            reads += [alias.name for alias in node.names if alias.name in ("request", "g")]
        if isinstance(node, ast.ImportFrom) and node.module == "backend.messages":
            reads += [alias.name for alias in node.names if alias.name == "current_language"]
        if isinstance(node, ast.Attribute) and node.attr in ("request", "g", "current_language") \
                and isinstance(node.value, ast.Name) and node.value.id in ("flask", "messages"):
            reads.append(f"{node.value.id}.{node.attr}")
    return reads


def test_services_leave_the_language_to_the_request_layer():
    offenders = {}
    for path in sorted(SERVICES.rglob("*.py")):
        reads = _reads_request_language(ast.parse(path.read_text("utf-8")))
        if reads:
            offenders[str(path.relative_to(SERVICES))] = reads
    assert offenders == {}
    # The check itself notices what it looks for.
    assert _reads_request_language(ast.parse("from flask import g, request")) == ["g", "request"]
    assert _reads_request_language(ast.parse("messages.current_language()")) \
        == ["messages.current_language"]
