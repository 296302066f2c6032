"""The coverage charts' geometry (backend/console/charts.py)."""
from __future__ import annotations

from backend.console.charts import LABEL_WIDTH, share_chart


def test_bars_scale_to_their_share_and_the_target_sits_between():
    chart = share_chart([("001", 0.0, False), ("002", 0.5, True), ("003", 1.0, None)], 0.30)
    empty, half, full = chart.bars
    assert empty.width == 0 and full.width == chart.bar_span
    assert half.width == chart.bar_span / 2
    assert chart.target_x == LABEL_WIDTH + round(0.3 * chart.bar_span, 1)
    assert [bar.meets_target for bar in chart.bars] == [False, True, None]
    # One row per bar, top to bottom, and the axis under the last one.
    assert empty.y < half.y < full.y < chart.axis_y < chart.height
    assert [share for share, _ in chart.ticks] == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_shares_outside_zero_to_one_stay_inside_the_chart():
    low, high = share_chart([("a", -0.2, None), ("b", 1.7, None)], 0.3).bars
    assert low.width == 0 and high.width == share_chart([], 0.3).bar_span


def test_an_empty_chart_still_has_its_axis():
    chart = share_chart([], 0.3)
    assert chart.bars == () and chart.height > chart.axis_y
