"""Markdown in depth: HTML blocks, MDX components, and positions that always map back to the source."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck import lint_text


def _found(text: str, path: str) -> list[tuple[int, int, str, str]]:
    return [(f.line, f.column, f.rule, f.excerpt) for f in lint_text(text, path)]


def _excerpt_at(text: str, finding) -> str:  # type: ignore[no-untyped-def]
    lines = text.splitlines(keepends=True)
    start = sum(len(line) for line in lines[: finding.line - 1]) + finding.column - 1
    end = sum(len(line) for line in lines[: finding.end_line - 1]) + finding.end_column - 1
    return text[start:end]


def test_prose_inside_an_html_block_is_linted_and_its_script_is_not():
    text = (
        '# Page\n\n<div class="note">\nOur formula cures arthritis.\n'
        '<script>var claim = "cures arthritis";</script>\n</div>\n'
    )
    claims = [
        (line, column, excerpt) for line, column, rule, excerpt in _found(text, "p.md") if rule == "core/efficacy-claim"
    ]
    assert claims == [(4, 13, "cures arthritis")]


def test_mdx_prose_inside_components_is_linted_and_code_is_not():
    text = (
        'import { Callout } from "../components"\n'
        "export const meta = { claim: 'cures arthritis' }\n\n"
        '<Callout type="info">\n'
        "Our laser therapy eliminates knee pain.\n"
        "</Callout>\n\n"
        'Take {props.dose} daily. <Badge label="cures arthritis" />\n'
    )
    found = _found(text, "page.mdx")
    assert ("core/efficacy-claim", 5, 19, "eliminates knee pain") in [(r, line, c, e) for line, c, r, e in found]
    assert all(line == 5 for line, _, rule, _ in found if rule == "core/efficacy-claim")


def test_mdx_suppression_comment():
    text = (
        "{/* claimcheck-disable-next-line core/efficacy-claim -- reviewed by legal */}\n"
        "Our laser therapy eliminates knee pain.\n\nTalk to your doctor first.\n"
    )
    assert "core/efficacy-claim" not in {rule for _, _, rule, _ in _found(text, "page.mdx")}


PIECES = [
    "Our laser therapy eliminates knee pain.",
    "Results in 2 weeks.*",
    "* Terms apply.",
    "`code cures arthritis`",
    "[link](https://example.com/cures)",
    "**Guaranteed relief**",
    "| a | b |\n|---|---|\n| 95% success rate | x |",
    "<!-- hidden cures -->",
    "> Clinically proven to reduce pain.",
    "- No side effects\n- Fast relief¹",
    "¹ A 2020 survey.",
    "ünïcödé 😀 relieves stress",
    "\r\n",
    "\n\n",
    "---\ntitle: Cures arthritis\n---",
]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8), st.sampled_from(["page.md", "page.txt", "page.mdx"]))
def test_every_finding_maps_back_to_its_excerpt(pieces, path):
    text = "\n".join(pieces)
    for finding in lint_text(text, path):
        assert _excerpt_at(text, finding) == finding.excerpt


def test_mdx_component_on_one_line_is_linted() -> None:
    from claimcheck.lint import lint_text

    text = (
        'import {Callout} from "./callout"\n\n<Callout>Our cream cures arthritis.</Callout>\n\n'
        '<Note kind="tip">   Our gel cures gout.   </Note>\n\n```js\nconst claim = "cures everything"\n```\n'
    )
    found = {(f.rule, f.line, f.column) for f in lint_text(text, path="page.mdx")}
    assert ("core/efficacy-claim", 3, 20) in found
    assert ("core/efficacy-claim", 5, 29) in found
    assert not [f for f in lint_text(text, path="page.mdx") if f.line >= 7]  # code stays code
