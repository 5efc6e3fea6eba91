"""What can be numbered and referred to: each kind's label prefix, its word and its class.

One home for Quarto's prefixes, shared by the numbering pass (:mod:`.page`), the prose
reference pattern, the theorem blocks (:mod:`mkdocs_infotheory.blocks`) and the citation
scanner, which must leave every one of these prefixes to the references.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TheoremKind:
    """A theorem-like block: ``/// theorem | Title`` is numbered "Theorem n"."""

    #: The block's name, as the author writes it after ``///``.
    name: str
    #: The label prefix (``thm`` for ``thm-kraft``).
    prefix: str

    @property
    def word(self) -> str:
        return self.name.title()


#: Quarto's theorem kinds, in the order its documentation lists them.
THEOREM_KINDS: tuple[TheoremKind, ...] = (
    TheoremKind("theorem", "thm"),
    TheoremKind("lemma", "lem"),
    TheoremKind("corollary", "cor"),
    TheoremKind("proposition", "prp"),
    TheoremKind("conjecture", "cnj"),
    TheoremKind("definition", "def"),
    TheoremKind("example", "exm"),
    TheoremKind("exercise", "exr"),
    TheoremKind("remark", "rem"),
    TheoremKind("solution", "sol"),
)
BY_NAME = {kind.name: kind for kind in THEOREM_KINDS}
BY_PREFIX = {kind.prefix: kind for kind in THEOREM_KINDS}

#: The word a reference shows, by label prefix ("Equation (1)", "Theorem 2").
WORDS: dict[str, str] = {
    "eq": "Equation",
    "fig": "Figure",
    "tbl": "Table",
    **{kind.prefix: kind.word for kind in THEOREM_KINDS},
}
#: Every reserved label prefix: ``@PREFIX-name`` is a cross-reference, never a citation.
PREFIXES: tuple[str, ...] = tuple(WORDS)


def kind_name(prefix: str) -> str:
    """ "an equation", "a theorem": how messages name the kind of a prefix."""
    word = WORDS[prefix].lower()
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


#: Classes the theorem blocks write (read back by the numbering pass).
THEOREM_CLASS = "infotheory-theorem"
THEOREM_NUMBER_CLASS = "infotheory-theorem-number"
PROOF_CLASS = "infotheory-proof"
QED_CLASS = "infotheory-qed"
#: Where a ``/// references`` block puts the page's list of references.
REFERENCES_HERE_CLASS = "infotheory-references-here"
