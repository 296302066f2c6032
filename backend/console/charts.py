"""Geometry for the small bar charts the console draws as inline SVG.

Only numbers here: the template (_charts.html) turns them into <svg> markup,
so every word on a chart still comes from the catalogue, and no script or
inline style is needed (the page's CSP forbids both).
"""
from __future__ import annotations

from dataclasses import dataclass

WIDTH = 720          # the SVG's own coordinate space; CSS scales it to the page
LABEL_WIDTH = 170    # room for a province's name ("TP. Hồ Chí Minh") left of the bars
VALUE_WIDTH = 60     # room for "33 %" right of the longest bar
ROW_HEIGHT = 16  # 34 provinces and their axis fit one screen
BAR_HEIGHT = 11
TOP = 24             # room for the target's caption above the first bar
BOTTOM = 24          # room for the axis ticks under the last bar
TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)


@dataclass(frozen=True)
class Bar:
    label: str
    share: float       # 0..1
    meets_target: bool | None  # as the service says; None draws a neutral bar
    y: float           # top of the bar
    width: float
    text_y: float      # baseline of the row's label and value


@dataclass(frozen=True)
class ShareChart:
    width: int
    height: int
    bar_x: int         # where every bar starts (the 0 % line)
    bar_span: int      # the 100 % length
    bar_height: int
    target_x: float
    top: int           # where the first bar's row starts
    axis_y: int
    bars: tuple[Bar, ...]
    ticks: tuple[tuple[float, float], ...]  # (share, x)


def share_chart(rows: list[tuple[str, float, bool | None]], target: float) -> ShareChart:
    """Horizontal bars, one per (label, share, meets_target), against a target line.

    Whether a bar meets the target is the service's answer, passed in, not
    decided here: the console holds no rule of its own."""
    bar_span = WIDTH - LABEL_WIDTH - VALUE_WIDTH

    def x_of(share: float) -> float:
        return LABEL_WIDTH + round(min(max(share, 0.0), 1.0) * bar_span, 1)

    bars = tuple(
        Bar(label=label, share=share, meets_target=meets_target,
            y=TOP + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2,
            width=x_of(share) - LABEL_WIDTH,
            text_y=TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2 + 5)
        for index, (label, share, meets_target) in enumerate(rows))
    axis_y = TOP + len(rows) * ROW_HEIGHT
    return ShareChart(width=WIDTH, height=axis_y + BOTTOM, bar_x=LABEL_WIDTH,
                      bar_span=bar_span, bar_height=BAR_HEIGHT, target_x=x_of(target),
                      top=TOP, axis_y=axis_y, bars=bars,
                      ticks=tuple((tick, x_of(tick)) for tick in TICKS))
