"""axe-core finds no serious or critical accessibility problem in the article, light or dark."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser._page_tools import ARTICLE
from tests.browser._viewports import VIEWPORTS

if TYPE_CHECKING:
    from playwright.sync_api import Page

BLOCKING_IMPACTS = frozenset({"serious", "critical"})


def run_axe(page: Page, axe_script: Path, selector: str) -> list[dict[str, Any]]:
    """axe's violations inside ``selector`` (every rule axe enables by default)."""
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate(
        """async (selector) => {
          const results = await axe.run({ include: [[selector]] }, { resultTypes: ["violations"] });
          return results.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
          }));
        }""",
        selector,
    )
    return list(result)


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['summary']}".replace("\n", " "))
    return "\n".join(lines)


@pytest.mark.parametrize("device", sorted(VIEWPORTS))
def test_article_has_no_serious_accessibility_violations(
    showcase_page: Page, axe_script: Path, scheme: str, device: str
) -> None:
    violations = run_axe(showcase_page, axe_script, ARTICLE)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe ({device}, {scheme} scheme) found:\n{_describe(blocking)}"
