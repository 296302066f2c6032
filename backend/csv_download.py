"""A CSV export as a download, for the API and the console alike."""
from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

from flask import Response


def csv_download(lines: Iterable[str], filename: str) -> Response:
    # UTF-8 with a byte-order mark: spreadsheet programs then read Vietnamese names right.
    return Response(chain(("\ufeff",), lines), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
