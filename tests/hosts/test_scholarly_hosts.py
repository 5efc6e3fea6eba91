"""Theorems, cross-page references and citations on every host (issue 20, contract 7):
MkDocs and ProperDocs through the plugin, Zensical through the Markdown extension, with one
mkdocs.yml (its ``plugins: - infotheory:`` block configures the extension too)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.hosts._hosts import HOSTS, HostSite

pytestmark = pytest.mark.slow

BIB = """@book{mackay2003,
  author    = {MacKay, David J. C.},
  title     = {Information Theory, Inference, and Learning Algorithms},
  publisher = {Cambridge University Press},
  year      = {2003}
}
"""

CODING = """
# Source coding

/// theorem | Kraft inequality
    attrs: {id: thm-kraft}

A prefix code satisfies it [@mackay2003, p. 95].
///

/// proof
Count leaves.
///
"""

CHANNELS = """
# Channels

/// theorem
    attrs: {id: thm-channel}

Capacity.
///

Here @thm-channel; there @thm-kraft, as @mackay2003 explains.
"""


def _article(root: Path, page: str = "") -> BeautifulSoup:
    html = (root / "site" / page / "index.html").read_text(encoding="utf-8")
    article = BeautifulSoup(html, "html.parser").find("article")
    assert article is not None
    return BeautifulSoup(str(article), "html.parser")


def _site(root: Path, host: str) -> HostSite:
    options = {"bibliography": "refs.bib"}
    if host == "zensical":
        site = HostSite(root, host, plugins=[{"infotheory": options}])
    else:
        site = HostSite(root, host, plugins=["search", {"infotheory": options}])
    site.config["nav"] = ["index.md", "channels.md"]
    (root / "refs.bib").write_text(BIB, encoding="utf-8")
    site.write("index.md", CODING)
    site.write("channels.md", CHANNELS)
    return site


@pytest.mark.parametrize("host", HOSTS)
def test_theorems_references_and_citations_on_every_host(tmp_path: Path, host: str) -> None:
    site = _site(tmp_path, host)
    built = site.build(strict=True)
    assert built.returncode == 0, built.log
    index = _article(tmp_path)
    kraft = index.find(id="thm-kraft")
    assert kraft is not None and kraft["aria-label"] == "Theorem 1 (Kraft inequality)"
    proof = index.select_one(".infotheory-proof")
    assert proof is not None and proof.get_text().strip().endswith("\u220e")
    cite = index.select_one("a.infotheory-cite")
    assert cite is not None and cite.get_text() == "MacKay, 2003, p. 95"
    assert [li["id"] for li in index.select(".infotheory-bibliography li")] == ["ref-mackay2003"]
    channels = _article(tmp_path, "channels")
    refs = {a.get_text(): a["href"] for a in channels.select("a.infotheory-ref")}
    assert refs["Theorem\xa01"] == "#thm-channel"
    other = refs["Theorem\xa01 in Source coding"]
    assert other.endswith("#thm-kraft") and other != "#thm-kraft"
    in_text = channels.select_one("a.infotheory-cite")
    assert in_text is not None and in_text.get_text() == "MacKay (2003)"
    # The previews' script: linked by the plugin, inline on Zensical (no files to add there).
    if host == "zensical":
        script = channels.select_one("script.infotheory-page")
        assert script is not None and "infotheory-preview" in script.get_text()
    else:
        page = (tmp_path / "site" / "channels" / "index.html").read_text(encoding="utf-8")
        scripts = BeautifulSoup(page, "html.parser").select("script[src]")
        assert any(s["src"].endswith("assets/infotheory/infotheory.js") for s in scripts)


def test_zensical_keeps_site_labels_and_reports_across_partial_rebuilds(tmp_path: Path) -> None:
    site = _site(tmp_path, "zensical")
    assert site.build(strict=True).returncode == 0
    # Only the second page changes: Zensical takes the first from its cache, and the
    # reference to its theorem still resolves; an unknown key fails --strict at its line.
    site.write("channels.md", CHANNELS + "\nAnd [@mackay2030].\n")
    second = site.build(strict=True)
    assert second.returncode == 1, second.log
    assert "docs/channels.md:11: @mackay2030: no entry 'mackay2030'" in second.log, second.log
    assert "did you mean 'mackay2003'?" in second.log
    relaxed = site.build()
    channels = _article(tmp_path, "channels")
    refs = {a.get_text() for a in channels.select("a.infotheory-ref")}
    assert "Theorem\xa01 in Source coding" in refs, relaxed.log
