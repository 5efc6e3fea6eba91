"""The progress reporter's counts and wording, driven by hand (no thread timing involved)."""

from __future__ import annotations

from mkdocs_infotheory.core.progress import Progress


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_counts_done_of_total_and_names_the_longest_running_page() -> None:
    clock = Clock()
    progress = Progress(lambda line: None, seconds=5, clock=clock)
    for name in ("docs/a.md", "docs/b.md", "docs/c.md"):
        progress("queued", name)
    progress("started", "docs/a.md")
    progress("started", "docs/b.md")
    clock.now += 2
    progress("done", "docs/b.md")
    clock.now += 10
    line = progress._line(clock.now)
    progress.close()
    assert line == (
        "running pages: 1 of 3 done, 1 in progress, 12 s so far; longest: docs/a.md (12 s)"
    )


def test_a_new_burst_after_everything_finished_starts_counting_again() -> None:
    """``mkdocs serve`` on Zensical keeps one engine: a rebuild's re-runs count from zero."""
    clock = Clock()
    progress = Progress(lambda line: None, seconds=5, clock=clock)
    progress("queued", "docs/a.md")
    progress("started", "docs/a.md")
    clock.now += 7
    progress("done", "docs/a.md")
    clock.now += 60
    progress("started", "docs/b.md")  # run without being queued first
    clock.now += 1
    line = progress._line(clock.now)
    progress.close()
    assert line.startswith("running pages: 0 of 1 done, 1 in progress, 1 s so far; longest: ")
    assert line.endswith("docs/b.md (1 s)")
    # The build's summary still remembers the slow page of the first burst.
    assert progress.slowest() == [("docs/a.md", 7.0)]
    assert progress.summary_suffix() == "; slowest pages (worth freezing): docs/a.md 7.0 s"


def test_pages_quicker_than_the_interval_are_not_named() -> None:
    clock = Clock()
    progress = Progress(lambda line: None, seconds=5, clock=clock)
    progress("started", "docs/a.md")
    clock.now += 1
    progress("done", "docs/a.md")
    progress.close()
    assert progress.summary_suffix() == ""
