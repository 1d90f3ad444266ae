"""docs/method-quotes.md lists the attribution rules from the list the code runs, in its order."""

from __future__ import annotations

import re
from pathlib import Path

from linkage.extraction import attribution

DOC = Path(__file__).resolve().parents[1] / "docs" / "method-quotes.md"


def _listed() -> str:
    text = DOC.read_text(encoding="utf-8")
    m = re.search(r"<!-- rules: begin -->\n(.*?)<!-- rules: end -->", text, re.DOTALL)
    assert m, f"{DOC} has no <!-- rules: begin --> ... <!-- rules: end --> section"
    return m.group(1).strip()


def test_doc_lists_every_attribution_rule_in_order():
    assert _listed() == attribution.rules_markdown().strip(), (
        "docs/method-quotes.md is out of date: paste the output of attribution.rules_markdown() between the markers"
    )
    names = re.findall(r"^\d+\. `(\w+)`", _listed(), re.MULTILINE)
    assert names == [rule.__name__ for rule in attribution.ATTRIBUTION_RULES]


def test_every_rule_has_a_one_line_docstring():
    for rule in attribution.ATTRIBUTION_RULES:
        doc = (rule.__doc__ or "").strip()
        assert doc and "\n" not in doc, rule.__name__
