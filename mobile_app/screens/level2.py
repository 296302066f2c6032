"""Why a level-1 citizen cannot use the service, and how to reach level 2."""
from __future__ import annotations

from mobile_app.screens.base import AppScreen


class Level2Screen(AppScreen):
    pass
