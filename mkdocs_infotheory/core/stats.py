"""What one build did, counted as it goes, for the log line at its end."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class BuildStats:
    """What one build did, for the log line at its end.

    Mutable: the engine adds to the counters as each page's results arrive.
    """

    pages: int = 0
    fences_run: int = 0
    fences_cached: int = 0
    failures: int = 0
    seconds: float = 0.0
    fences_frozen: int = 0
    pages_not_frozen: int = 0
    #: Pages whose frozen-results file this build wrote or updated.
    pages_frozen: int = 0

    def summary(self) -> str:
        text = (
            f"{self.pages} pages with code, {self.fences_run} fences run, "
            f"{self.fences_cached} from cache, {self.failures} failures, "
            f"{self.seconds:.2f} s executing"
        )
        if self.fences_frozen or self.pages_frozen or self.pages_not_frozen:
            text += (
                f"; {self.fences_frozen} fences from frozen results, "
                f"{self.pages_frozen} pages frozen, {self.pages_not_frozen} not frozen"
            )
        return text
