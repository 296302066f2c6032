"""Comparing a register name with the holder name an institution returns.

Institutions answer like a NAPAS account-name inquiry: upper case, no
diacritics ("NGUYEN THI LAN"). Names are compared after folding both sides
the same way; a near miss (a missing middle name, one letter off) goes to a
person, a different name does not.

Pure text, importing nothing of ours: verification compares names with it,
and so does the simulated bank gateway (integrations import no service).
"""
from __future__ import annotations

import difflib
import unicodedata

NEAR_MISS_RATIO = 0.85


def fold(name: str) -> str:
    """Upper case, no diacritics, single spaces; Đ/đ become D."""
    name = name.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", name)
    bare = "".join(char for char in decomposed if unicodedata.category(char) != "Mn")
    return " ".join(bare.upper().split())


def initials(name: str) -> str:
    """A name masked to its initials ("Nguyễn Thị Mai" -> "N. T. M."): enough for
    staff to tell two people apart on a phone call, not to read who they are."""
    return " ".join(f"{word[0]}." for word in name.split())


def compare(register_name: str, holder_name: str) -> str:
    """'match', 'near' or 'different'."""
    registered, held = fold(register_name), fold(holder_name)
    if registered == held:
        return "match"
    registered_parts, held_parts = registered.split(), held.split()
    # Family name and given name agree and one side just drops middle names.
    same_ends = registered_parts[0] == held_parts[0] and registered_parts[-1] == held_parts[-1]
    dropped_middle = same_ends and (set(held_parts) <= set(registered_parts)
                                    or set(registered_parts) <= set(held_parts))
    if dropped_middle or difflib.SequenceMatcher(None, registered, held).ratio() \
            >= NEAR_MISS_RATIO:
        return "near"
    return "different"
