"""The console's Blueprint and its CSRF guard, shared by every view module."""
from __future__ import annotations

from flask import Blueprint
from flask_wtf.csrf import CSRFProtect

console = Blueprint("console", __name__, template_folder="templates",
                    static_folder="static", static_url_path="/static")

# WTF_CSRF_CHECK_DEFAULT is off (config.py): the bearer-token API needs no CSRF
# token, so the console asks for the check itself (see security.py).
csrf = CSRFProtect()
