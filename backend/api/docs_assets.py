"""Swagger UI's files served from the installed swagger-ui-py package, so the
interactive docs work on a closed network."""
from __future__ import annotations

from pathlib import Path

import swagger_ui
from flask import Blueprint, send_from_directory

ASSETS_DIR = Path(swagger_ui.__file__).parent / "static"

assets = Blueprint("docs_assets", __name__)


@assets.route("/api/v1/docs/assets/<path:filename>")
def swagger_asset(filename: str):
    return send_from_directory(ASSETS_DIR, filename, max_age=86400)

