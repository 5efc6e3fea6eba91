"""Children must not re-run the parent's main script (the `mkdocs` console script imports all
of MkDocs; re-running it cost ~60 ms per page)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path


def test_main_script_runs_once_in_the_fork_server_not_per_page(tmp_path: Path) -> None:
    log = tmp_path / "imports.log"
    script = tmp_path / "console_script"
    script.write_text(
        textwrap.dedent(
            f"""
            import os
            with open({str(log)!r}, "a") as stream:
                stream.write(f"{{os.getpid()}}\\n")

            from mkdocs_infotheory.core.kernel import PageJob
            from mkdocs_infotheory.core.parse import parse_page
            from mkdocs_infotheory.core.runner import ProcessRunner

            if __name__ == "__main__":
                runner = ProcessRunner()
                text = '```python exec="on"\\nprint(1)\\n```\\n'
                job = PageJob("p.md", text, tuple(parse_page(text).cells))
                for _ in range(4):
                    (result,) = runner.run(job, lambda cell: 30)
                    assert result.output == "1\\n", result
            """
        )
    )
    subprocess.run([sys.executable, str(script)], check=True, timeout=120)
    pids = log.read_text().split()
    # The script itself, plus at most the fork server: never once per page.
    assert len(pids) <= 2, pids
