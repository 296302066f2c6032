"""The phone-sized window; configured before anything imports kivy.core.window."""
from __future__ import annotations

import os

# 392 rather than 390: Kivy's screenshot writes rows of width*3 bytes, and a
# width that is not a multiple of 4 comes out skewed (GL row alignment).
PHONE_WIDTH, PHONE_HEIGHT = 392, 844


def configure_window(resizable: bool = True) -> None:
    os.environ.setdefault("KIVY_NO_ARGS", "1")  # our own command line, not Kivy's
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("KIVY_CLIPBOARD", "dummy")  # headless: no xclip/xsel to ask
    from kivy.config import Config
    Config.set("graphics", "width", str(PHONE_WIDTH))
    Config.set("graphics", "height", str(PHONE_HEIGHT))
    Config.set("graphics", "resizable", "1" if resizable else "0")
    Config.set("input", "mouse", "mouse,multitouch_on_demand")  # no red dots on right-click
    Config.set("kivy", "exit_on_escape", "0")  # Escape goes back, it does not quit
