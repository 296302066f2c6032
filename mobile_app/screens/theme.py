"""Colours and sizes of the app, in one place; kv reads them through `theme`."""
from __future__ import annotations

# A government-utility look: deep red bar, white cards on a light grey page.
PRIMARY = (0.72, 0.11, 0.11, 1)
PRIMARY_DARK = (0.55, 0.07, 0.07, 1)
ON_PRIMARY = (1, 1, 1, 1)
PAGE = (0.96, 0.96, 0.97, 1)
CARD = (1, 1, 1, 1)
TEXT = (0.12, 0.12, 0.13, 1)
MUTED = (0.37, 0.39, 0.41, 1)
LINE = (0.86, 0.86, 0.88, 1)
FIELD = (1, 1, 1, 1)
ON_PRIMARY_SOFT = (1, 1, 1, 0.9)  # second lines on the red bar
PRESSED = (0.95, 0.95, 0.96, 1)  # a row or tile under the finger
CHOSEN = (0.98, 0.92, 0.92, 1)  # a chosen option, a pressed outlined button
UNREAD = (1, 0.97, 0.97, 1)  # a notification not read yet
ON_DISABLED = (1, 1, 1, 0.8)  # the words of a button not usable yet
TONES = {"good": (0.18, 0.49, 0.2, 1), "waiting": (0.56, 0.32, 0.0, 1),
         "bad": (0.78, 0.16, 0.16, 1), "muted": (0.37, 0.39, 0.41, 1)}
TONE_BACKGROUNDS = {"good": (0.9, 0.96, 0.9, 1), "waiting": (1, 0.95, 0.86, 1),
                    "bad": (0.99, 0.91, 0.91, 1), "muted": (0.93, 0.93, 0.94, 1)}

# Large type and touch targets: read on a cheap phone by someone who needs glasses.
BODY = "17sp"
SMALL = "15sp"
TITLE = "22sp"
HEADLINE = "26sp"
TOUCH = "56dp"
GAP = "12dp"
PADDING = "16dp"


def tone(name: str) -> tuple:
    return TONES.get(name, TONES["muted"])


def tone_background(name: str) -> tuple:
    return TONE_BACKGROUNDS.get(name, TONE_BACKGROUNDS["muted"])
