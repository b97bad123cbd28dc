"""Progress for long work (import, close, export): a rich bar on stderr, silent off a terminal.

Usage::

    with progress("Beregner oppstillinger", total=len(names)) as step:
        for name in names:
            step(name)          # advance one step, showing what is being done
            ...

``step`` also works without a total (a spinner).  When stderr is not a terminal
(pipes, CI, tests) nothing is drawn at all, so output stays clean.  This module is
for the CLI layer; code below it takes an optional ``progress`` callback instead.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator

Step = Callable[[str], None]


def enabled(stream=None) -> bool:
    """Whether progress is drawn: only when ``stream`` (stderr) is a terminal."""
    stream = stream if stream is not None else sys.stderr
    return bool(getattr(stream, "isatty", lambda: False)())


@contextlib.contextmanager
def progress(description: str, total: int | None = None, stream=None) -> Iterator[Step]:
    """A context giving ``step(text)``: one unit of work done, ``text`` names it."""
    stream = stream if stream is not None else sys.stderr
    if not enabled(stream):
        yield lambda text="": None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(file=stream)
    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[current]}"), TimeElapsedColumn()]
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(description, total=total, current="")

        def step(text: str = "") -> None:
            bar.update(task, advance=1, current=text)

        yield step
