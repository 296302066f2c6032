"""The citizen's data export kept on the phone: saved as JSON, summed up in counts.

No Kivy here: tested on its own; the screen only shows what these say.
"""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

# The export's parts the summary counts, in the order it lists them.
COUNTED_PARTS = ("payout_links", "consents", "payments", "notifications", "messages",
                 "disputes", "sessions", "staff_access")


def save_export(document: dict, folder: Path, now: datetime) -> Path:
    """Write the document where the citizen can find it; answers the file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"du-lieu-an-sinh-{now:%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def export_counts(document: dict) -> list[tuple[str, int]]:
    """(part, how many records) for each part the export holds."""
    return [(part, len(document.get(part) or [])) for part in COUNTED_PARTS]
