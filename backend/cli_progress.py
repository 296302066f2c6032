"""Progress of long `ssa` commands: a bar with rows per second on a terminal.

tqdm draws the bar and its rate; with `disable=None` it stays silent when
standard error is not a terminal (CI, cron, a pipe), so logs hold only the
commands' own results.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from tqdm import tqdm


@contextmanager
def rows_progress(label: str, stream: TextIO | None = None) -> Iterator[Callable[[int], None]]:
    """Yield a callback that takes the number of rows done so far."""
    with tqdm(desc=label, unit=" rows", unit_scale=True, disable=None, leave=True,
              file=stream or sys.stderr, mininterval=0) as bar:
        def done_so_far(rows: int) -> None:
            bar.update(rows - bar.n)
        yield done_so_far


@contextmanager
def steps_progress(label: str, steps: int,
                   stream: TextIO | None = None) -> Iterator[Callable[[str], None]]:
    """Yield a callback that takes the name of each step as it finishes."""
    with tqdm(desc=label, total=steps, unit=" steps", disable=None, leave=True,
              file=stream or sys.stderr, mininterval=0) as bar:
        def finished(step: str) -> None:
            bar.set_postfix_str(step, refresh=False)
            bar.update(1)
        yield finished
