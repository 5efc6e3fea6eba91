"""``/// theorem | Kraft inequality`` and its nine siblings, ``/// proof``, ``/// references``.

Each theorem-like block becomes::

    <div class="infotheory-theorem infotheory-theorem-theorem" id="thm-kraft" role="group"
         aria-label="Theorem (Kraft inequality)">
      <p class="infotheory-theorem-head"><strong>Theorem<span class="infotheory-theorem-number">
      </span></strong> (Kraft inequality).</p>
      ...content...
    </div>

The empty number span and the aria-label are completed by the numbering pass ("Theorem 1"),
which sees the whole page (so the numbers follow the page order whatever the nesting). The
label is the block's standard ``attrs: {id: thm-kraft}`` option. Words and the end-of-proof
sign are text, so search, copy and screen readers see them.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Any, ClassVar

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor
from pymdownx.blocks import BlocksExtension, BlocksProcessor
from pymdownx.blocks.block import Block

from ..refs.kinds import (
    PROOF_CLASS,
    QED_CLASS,
    REFERENCES_HERE_CLASS,
    THEOREM_CLASS,
    THEOREM_KINDS,
    THEOREM_NUMBER_CLASS,
    TheoremKind,
)

#: The end-of-proof sign (U+220E, which screen readers name "end of proof").
QED = "\u220e"


class TheoremBlock(Block):
    """One theorem-like kind (subclassed per kind by :func:`_theorem_block`)."""

    NAME = ""
    ARGUMENT = None  # the optional title
    OPTIONS: ClassVar[dict[str, Any]] = {}
    KIND: ClassVar[TheoremKind]

    def on_create(self, parent: etree.Element) -> etree.Element:
        kind = self.KIND
        title = (self.argument or "").strip()
        label = f"{kind.word} ({title})" if title else kind.word
        element = etree.SubElement(
            parent,
            "div",
            {
                "class": f"{THEOREM_CLASS} {THEOREM_CLASS}-{kind.name}",
                "data-infotheory-kind": kind.name,
                "role": "group",
                "aria-label": label,
            },
        )
        head = etree.SubElement(element, "p", {"class": f"{THEOREM_CLASS}-head"})
        word = etree.SubElement(head, "strong")
        word.text = kind.word
        etree.SubElement(word, "span", {"class": THEOREM_NUMBER_CLASS})
        if title:
            word.tail = " "
            name = etree.SubElement(head, "span", {"class": f"{THEOREM_CLASS}-title"})
            name.text = f"({title})"  # inline Markdown (math too) is rendered in it
            name.tail = "."
        else:
            word.tail = "."
        return element


class ProofBlock(Block):
    """``/// proof`` (or ``/// proof | of Theorem 1``): unnumbered, ends with ∎."""

    NAME = "proof"
    ARGUMENT = None
    OPTIONS: ClassVar[dict[str, Any]] = {}

    def on_create(self, parent: etree.Element) -> etree.Element:
        title = (self.argument or "").strip()
        label = f"Proof {title}" if title else "Proof"
        element = etree.SubElement(
            parent, "div", {"class": PROOF_CLASS, "role": "group", "aria-label": label}
        )
        head = etree.SubElement(element, "p", {"class": f"{PROOF_CLASS}-head"})
        word = etree.SubElement(head, "em")
        word.text = f"{label}."
        return element


class ReferencesBlock(Block):
    """``/// references``: the page's list of references goes here instead of at the end."""

    NAME = "references"
    ARGUMENT = False
    OPTIONS: ClassVar[dict[str, Any]] = {}

    def on_create(self, parent: etree.Element) -> etree.Element:
        return etree.SubElement(parent, "div", {"class": REFERENCES_HERE_CLASS})


def _theorem_block(kind: TheoremKind) -> type[TheoremBlock]:
    return type(f"{kind.word}Block", (TheoremBlock,), {"NAME": kind.name, "KIND": kind})


class _EndOfProof(Treeprocessor):
    """Put ∎ at the end of each proof: inside its last paragraph, or on a line of its own
    after a last element that is not a paragraph (a display formula, a list)."""

    def run(self, root: etree.Element) -> None:
        for proof in root.iter("div"):
            if PROOF_CLASS not in (proof.get("class") or "").split():
                continue
            children = list(proof)
            last = children[-1] if len(children) > 1 else None
            sign = etree.Element("span", {"class": QED_CLASS})
            sign.text = QED
            if last is not None and last.tag == "p" and not _is_stashed_block(last):
                sign.tail = last[-1].tail if len(last) else None
                if len(last):
                    last[-1].tail = (last[-1].tail or "") + " "
                    sign.tail = None
                else:
                    last.text = (last.text or "") + " "
                last.append(sign)
            else:
                line = etree.SubElement(proof, "p", {"class": f"{QED_CLASS}-line"})
                line.append(sign)


def _is_stashed_block(paragraph: etree.Element) -> bool:
    """A paragraph that only holds a placeholder for raw HTML (a display formula is kept in
    Python-Markdown's stash until the end): the sign then goes on a line of its own."""
    text = (paragraph.text or "").strip()
    return len(paragraph) == 0 and text.startswith("\x02") and text.endswith("\x03")


class TheoremBlocksExtension(BlocksExtension):
    def extendMarkdownBlocks(self, md: Markdown, block_mgr: BlocksProcessor) -> None:
        for kind in THEOREM_KINDS:
            block_mgr.register(_theorem_block(kind), {})
        block_mgr.register(ProofBlock, {})
        block_mgr.register(ReferencesBlock, {})
        # After inline processing (20), before the tree is serialised.
        md.treeprocessors.register(_EndOfProof(md), "infotheory_end_of_proof", 15)
