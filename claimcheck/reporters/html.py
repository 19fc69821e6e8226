"""The HTML report (`check --format html`): one self-contained page for reviewers.

A summary (findings per rule and per file by severity), then every linted document with its
full source text as it was linted (carried by the result), in which each finding's span is a <mark> coloured by
kind and severity. Each mark links to the finding's note in the list under the document and
the note links back; the message and explanation are also on hover (title attribute and a CSS
tooltip). Overlapping spans are cut into segments where they cross, each segment nesting the
marks of every finding that covers it, so the page's text is the document's text exactly.

No JavaScript, no external assets or fonts; the only links leaving the page are the rules'
own references. Everything from documents, rules and findings goes through html.escape.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Mapping

from claimcheck.findings import Finding, LintResult, Severity
from claimcheck.packs import Rule
from claimcheck.reporters.common import plural, relative_path, version
from claimcheck.text import line_starts

_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
_SAFE_URL = re.compile(r"^https?://", re.IGNORECASE)

_CSS = """
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --rule: #d9dce1; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem; color: var(--ink); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
.meta, .muted { color: var(--muted); }
table { border-collapse: collapse; margin: .5rem 0 1rem; width: 100%; }
th, td { border: 1px solid var(--rule); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f4f5f7; } td.n { text-align: right; font-variant-numeric: tabular-nums; width: 5rem; }
tr.total td { font-weight: 600; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: .9em; }
.note-box { border-left: 4px solid #b3261e; background: #fdf0ef; padding: .5rem .75rem; margin: .5rem 0; }
section.document { border-top: 2px solid var(--rule); margin-top: 2rem; }
.source { white-space: pre-wrap; overflow-wrap: anywhere; tab-size: 4; border: 1px solid var(--rule);
  border-radius: 6px; background: #fbfbfc; padding: .75rem 1rem; line-height: 1.6;
  font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 13.5px; }
.source mark { position: relative; color: inherit; padding: 0; border-radius: 2px; background: var(--bg);
  border-bottom: 2px solid var(--line); }
.source mark mark { padding-bottom: 3px; }
.source a.ref { text-decoration: none; }
.source a.ref::after { content: attr(data-n); font: 700 .7em/0 system-ui, sans-serif; vertical-align: super;
  color: var(--line); padding-left: 1px; }
.source mark.zero-width > a.ref::before { content: "\\25B6"; font-size: .75em; color: var(--line); }
.source mark:target { outline: 2px solid #1a73e8; }
.source mark[data-tip]:hover:not(:has(mark:hover))::after { content: attr(data-tip); position: absolute; left: 0;
  top: 100%; z-index: 10; width: max-content; max-width: 34rem; white-space: pre-wrap; background: #202124;
  color: #fff; padding: .4rem .6rem; border-radius: 4px; font: 13px/1.4 system-ui, sans-serif;
  pointer-events: none; box-shadow: 0 2px 8px rgba(0,0,0,.25); }
.kind-claim { --bg: rgba(255, 152, 0, .28); }
.kind-footnote { --bg: rgba(33, 150, 243, .25); }
.kind-disclaimer { --bg: rgba(156, 39, 176, .22); }
.kind-suppression { --bg: rgba(96, 125, 139, .25); }
.sev-error { --line: #c62828; } .sev-warning { --line: #ef8f00; } .sev-info { --line: #1e88e5; }
mark.sev-info { border-bottom-style: dotted; }
ol.notes { padding-left: 1.5rem; } ol.notes li { margin: .35rem 0; padding: .25rem .5rem;
  border-left: 4px solid var(--line); background: var(--bg); }
ol.notes li:target { outline: 2px solid #1a73e8; }
.badge { display: inline-block; min-width: 4.5rem; padding: 0 .35rem; border-radius: 3px; color: #fff;
  background: var(--line); font-size: .8em; text-align: center; text-transform: uppercase; }
.why { color: var(--muted); font-size: .92em; } q { font-style: italic; }
a.to-text { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .9em; }
details > summary { cursor: pointer; color: var(--muted); }
.legend { display: flex; flex-wrap: wrap; gap: .35rem 1rem; align-items: center; font-size: .9em;
  margin: .5rem 0 1rem; }
.legend .swatch { display: inline-block; padding: 0 .4rem; border-radius: 2px; background: var(--bg);
  border-bottom: 2px solid var(--line, transparent); }
.doc-banner { border: 1px solid var(--rule); border-radius: 6px; padding: .4rem .75rem; margin: .5rem 0;
  background: #fffaf0; }
.doc-banner p { margin: .25rem 0; padding-left: .5rem; border-left: 4px solid var(--line); background: var(--bg); }
.doc-banner p:target { outline: 2px solid #1a73e8; }
details.rule-group { border: 1px solid var(--rule); border-radius: 6px; margin: .35rem 0; padding: .3rem .6rem; }
details.rule-group > summary { color: var(--ink); }
details.rule-group ul { margin: .35rem 0; }
.provenance dt { font-weight: 600; } .provenance { display: grid; grid-template-columns: max-content 1fr;
  gap: .1rem 1rem; margin: .5rem 0; font-size: .9em; } .provenance dd { margin: 0; overflow-wrap: anywhere; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  a { color: inherit; text-decoration: none; }
  .source { border: none; background: none; padding: 0; font-size: 9.5pt; }
  .source mark { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .source mark[data-tip]:hover::after { display: none; }
  ol.notes li, .doc-banner p, .legend .swatch { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  section.document { break-before: page; }
  ol.notes li, tr, .doc-banner { break-inside: avoid; }
  details.rule-group > summary { list-style: none; }
  .noprint { display: none; }
}
"""


def _e(text: object) -> str:
    """Escape for text and attribute values; a CR becomes a reference so the parser keeps it, and
    other controls (which HTML forbids) their one-character pictures, so highlighted columns hold."""
    return html.escape(str(text).translate(_CONTROL_PICTURES), quote=True).replace("\r", "&#13;")


# C0 controls but tab and line breaks as U+2400-241F ("␛"), DEL as "␡", C1 controls and lone
# surrogates (undecodable bytes of a file name) as U+FFFD.
_CONTROL_PICTURES = {
    **{code: 0x2400 + code for code in range(0x20) if chr(code) not in "\t\n\r"},
    0x7F: 0x2421,
    **dict.fromkeys([*range(0x80, 0xA0), *range(0xD800, 0xE000)], 0xFFFD),
}


def _tip(f: Finding) -> str:
    return f"{f.message} — {f.explanation}" if f.explanation else f.message


def _counts_cells(findings: list[Finding]) -> str:
    counts = Counter(f.severity for f in findings)
    cells = "".join(f'<td class="n">{counts[s]}</td>' for s in _SEVERITIES)
    return cells + f'<td class="n">{len(findings)}</td>'


def _display_path(path: str) -> str:
    return relative_path(path)


def _span(f: Finding, text: str, line_starts: tuple[int, ...]) -> tuple[int, int] | None:
    """The finding's character offsets in text, or None when they fall outside it."""
    if not (1 <= f.line <= len(line_starts) and 1 <= f.end_line <= len(line_starts)):
        return None
    start = line_starts[f.line - 1] + f.column - 1
    end = line_starts[f.end_line - 1] + f.end_column - 1
    if f.column < 1 or f.end_column < 1 or not 0 <= start <= end <= len(text):
        return None
    return start, end


def _mark_open(f: Finding, number: int, first: bool, zero_width: bool = False) -> str:
    anchor = f' id="f{number}"' if first else ""
    tip = _e(_tip(f))
    extra = " zero-width" if zero_width else ""
    return (
        f'<mark class="kind-{_e(f.kind)} sev-{_e(f.severity.value)}{extra}" data-rule="{_e(f.rule)}"'
        f' data-finding="{number}"{anchor} title="{tip}" data-tip="{_e(f.severity.value)} {_e(f.rule)}: {tip}">'
    )


def _highlight(text: str, spans: list[tuple[int, int, int, Finding]]) -> str:
    """The text with every span marked; spans are (start, end, number, finding).

    The text is cut at every span boundary; each piece nests the marks of the findings that
    cover it (outermost first: earliest start, then longest). Where a finding's last piece ends,
    an empty link to its note shows the finding's number (CSS generated content, so the page's
    text stays the document's). A finding without width is an empty mark at its position.
    """
    bounds = sorted({0, len(text), *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    starting: dict[int, list[tuple[int, int, int, Finding]]] = {}
    for span in sorted(spans, key=lambda span: (span[0], -span[1], span[2])):
        starting.setdefault(span[0], []).append(span)
    active: list[tuple[int, int, int, Finding]] = []
    opened: set[int] = set()
    out: list[str] = []
    for left, right in zip(bounds, [*bounds[1:], None], strict=True):
        active = [span for span in active if span[1] > left]
        for span in starting.get(left, []):
            if span[0] == span[1]:  # zero width: an empty mark here, linked to its note
                out.append(_mark_open(span[3], span[2], True, zero_width=True))
                out.append(f"{_ref(span[2], span[3])}</mark>")
            else:
                active.append(span)
        if right is None:
            break
        piece = _e(text[left:right])
        if not active:
            out.append(piece)
            continue
        active.sort(key=lambda span: (span[0], -span[1], span[2]))
        for _, _, number, f in active:
            out.append(_mark_open(f, number, number not in opened))
            opened.add(number)
        out.append(piece)
        for _, end, number, f in reversed(active):
            out.append(f"{_ref(number, f)}</mark>" if end == right else "</mark>")
    return "".join(out)


def _ref(number: int, f: Finding) -> str:
    """An empty link to the finding's note; CSS shows its number."""
    return f'<a class="ref" href="#note-{number}" data-n="{number}" aria-label="finding {number}: {_e(f.rule)}"></a>'


def _note(f: Finding, number: int, located: bool) -> str:
    where = f"{f.line}:{f.column}"
    link = (
        f'<a class="to-text" href="#f{number}">{where}</a>'
        if located
        else f'<span class="to-text">{where}</span> <span class="muted">(not in the file as linted)</span>'
    )
    excerpt = " ".join(f.excerpt.split())
    parts = [
        f'<li id="note-{number}" class="kind-{_e(f.kind)} sev-{_e(f.severity.value)}" data-rule="{_e(f.rule)}">',
        f'{link} <span class="badge">{_e(f.severity.value)}</span> <code>{_e(f.rule)}</code> ',
        f"{_e(f.message)}",
    ]
    if excerpt:
        parts.append(f" <q>{_e(excerpt[:197] + '...' if len(excerpt) > 200 else excerpt)}</q>")
    if f.explanation:
        parts.append(f'<div class="why">{_e(f.explanation)}</div>')
    parts.append("</li>")
    return "".join(parts)


def _document(index: int, path: str, text: str | None, findings: list[tuple[int, Finding]]) -> str:
    shown = _display_path(path)
    out = [f'<section class="document" id="doc-{index}">', f"<h2><code>{_e(shown)}</code></h2>"]
    flat = [f for _, f in findings]
    counts = Counter(f.severity for f in flat)
    summary = ", ".join(f"{counts[s]} {s.value}" for s in _SEVERITIES if counts[s])
    out.append(
        f'<p class="meta">{plural(len(flat), "finding")}{f" ({summary})" if summary else ""}'
        ' · <a href="#summary">back to the summary</a></p>'
    )
    located: set[int] = set()
    if text is None:
        if findings:  # a clean file's text is not kept (engine.lint_paths): nothing to show there
            out.append('<p class="note-box">Source not shown: the result does not carry its text.</p>')
    else:
        starts = line_starts(text)
        spans = []
        changed = 0
        for number, f in findings:
            if _document_level(f):
                continue  # shown in the banner above the text, not on the sentence it points at
            span = _span(f, text, starts)
            if span is None:
                changed += 1
                continue
            if f.excerpt and text[span[0] : span[1]] != f.excerpt:
                changed += 1
            spans.append((*span, number, f))
            located.add(number)
        if changed:
            out.append(
                f'<p class="note-box">{plural(changed, "finding")} do not match the file'
                " as linted; highlights may be off.</p>"
            )
        banner = [(number, f) for number, f in findings if _document_level(f)]
        if banner:
            out.append('<div class="doc-banner" role="note"><strong>About the whole document:</strong>')
            out.extend(_banner_item(number, f) for number, f in banner)
            out.append("</div>")
            located.update(number for number, _ in banner)
        source = f'<div class="source" data-path="{_e(shown)}">{_highlight(text, spans)}</div>'
        if findings:
            out.append(source)
        else:
            out.append(f"<details><summary>Show the document</summary>{source}</details>")
    if findings:
        out.append('<h3>Findings</h3><ol class="notes">')
        out.extend(_note(f, number, number in located) for number, f in findings)
        out.append("</ol>")
    out.append("</section>")
    return "\n".join(out)


def _document_level(f: Finding) -> bool:
    """Findings about the document as a whole (a disclaimer it lacks), not about the text they point at."""
    return f.kind == "disclaimer"


def _banner_item(number: int, f: Finding) -> str:
    return (
        f'<p id="f{number}" class="doc-finding kind-{_e(f.kind)} sev-{_e(f.severity.value)}" data-rule="{_e(f.rule)}"'
        f' data-finding="{number}" title="{_e(_tip(f))}"><span class="badge">{_e(f.severity.value)}</span> '
        f'<code>{_e(f.rule)}</code> {_e(f.message)} <a href="#note-{number}">finding {number}</a></p>'
    )


def _legend() -> str:
    kinds = (
        ("claim", "claim"),
        ("footnote", "footnote"),
        ("disclaimer", "disclaimer (document)"),
        ("suppression", "suppression"),
    )
    parts = ['<div class="legend" aria-label="legend"><strong>Legend:</strong>']
    parts += [f'<span class="swatch kind-{kind}">{label}</span>' for kind, label in kinds]
    parts += [
        f'<span class="swatch sev-{s.value}" style="background:none">underline: {s.value}</span>' for s in _SEVERITIES
    ]
    parts.append('<span class="muted">(dotted: info)</span></div>')
    return "".join(parts)


_PROVENANCE_LABELS = (
    ("generated", "Generated"),
    ("commit", "Content commit"),
    ("packs", "Packs"),
    ("config", "Config"),
    ("rules", "Rules reported"),
    ("ruleset", "Rule set"),
    ("claimcheck", "claimcheck"),
)


def _provenance(facts: Mapping[str, str]) -> str:
    rows = [(label, facts[key]) for key, label in _PROVENANCE_LABELS if facts.get(key)]
    if not rows:
        return ""
    cells = "".join(f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>" for label, value in rows)
    return f'<dl class="provenance">{cells}</dl>'


def _by_rule_groups(numbered: list[tuple[int, Finding]], rules: Mapping[str, Rule]) -> str:
    """Each rule's findings in a <details> (opens and closes without JavaScript), linking to each note."""
    groups: dict[str, list[tuple[int, Finding]]] = {}
    for number, f in numbered:
        groups.setdefault(f.rule, []).append((number, f))
    out = ["<h2>Findings by rule</h2>"]
    for rule_id in sorted(groups):
        items, rule = groups[rule_id], rules.get(rule_id)
        message = rule.message if rule else items[0][1].message
        out.append(
            f'<details class="rule-group" data-rule="{_e(rule_id)}"><summary><code>{_e(rule_id)}</code> · '
            f"{plural(len(items), 'finding')} · {_e(message)}</summary><ul>"
        )
        for number, f in items:
            excerpt = " ".join(f.excerpt.split())
            shown = excerpt[:97] + "..." if len(excerpt) > 100 else excerpt
            out.append(
                f'<li><a href="#note-{number}"><code>{_e(_display_path(f.path))}:{f.line}:{f.column}</code></a> '
                f'<span class="badge sev-{_e(f.severity.value)}">{_e(f.severity.value)}</span>'
                + (f" <q>{_e(shown)}</q>" if shown else "")
                + "</li>"
            )
        out.append("</ul></details>")
    return "\n".join(out)


def _references(rule: Rule | None) -> str:
    if rule is None:
        return ""
    links = []
    for reference in rule.references:
        title, url = reference.get("title") or reference.get("url") or "", reference.get("url") or ""
        if url and _SAFE_URL.match(url):
            links.append(f'<a href="{_e(url)}" rel="noopener noreferrer">{_e(title)}</a>')
        else:
            links.append(_e(title))
    return f'<div class="why">See: {"; ".join(links)}</div>' if links else ""


def render(result: LintResult, rules: Mapping[str, Rule]) -> str:
    """The whole report as one HTML page (UTF-8, inline CSS, no scripts or external assets)."""
    numbered = list(enumerate(result.findings, start=1))
    by_path: dict[str, list[tuple[int, Finding]]] = {path: [] for path in result.paths}
    for number, f in numbered:
        by_path.setdefault(f.path, []).append((number, f))
    counts = Counter(f.severity for f in result.findings)
    headline = (
        f"{plural(len(result.findings), 'finding')} ({counts[Severity.ERROR]} error, "
        f"{counts[Severity.WARNING]} warning, {counts[Severity.INFO]} info) in {plural(result.files, 'file')}"
    )
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="claimcheck">',
        f"<title>claimcheck report: {_e(headline)}</title>",
        f"<style>{_CSS}</style></head><body>",
        '<header id="summary"><h1>claimcheck report</h1>',
        f'<p class="meta">{_e(headline)} · claimcheck {_e(version())}</p>',
        _provenance(result.provenance),
        _legend(),
        "</header>",
    ]
    if result.errors:
        out.append('<div class="note-box"><strong>Files that could not be linted:</strong><ul>')
        out.extend(f"<li><code>{_e(error)}</code></li>" for error in result.errors)
        out.append("</ul></div>")

    out.append("<h2>By rule</h2>")
    by_rule: dict[str, list[Finding]] = {}
    for f in result.findings:
        by_rule.setdefault(f.rule, []).append(f)
    if by_rule:
        out.append(
            '<table class="by-rule"><thead><tr><th>Rule</th><th>Kind</th><th>Error</th><th>Warning</th>'
            "<th>Info</th><th>Total</th></tr></thead><tbody>"
        )
        for rule_id in sorted(by_rule):
            findings, rule = by_rule[rule_id], rules.get(rule_id)
            message = rule.message if rule else findings[0].message
            out.append(
                f'<tr data-rule="{_e(rule_id)}"><td><code>{_e(rule_id)}</code><div class="why">{_e(message)}</div>'
                f"{_references(rule)}</td><td>{_e(findings[0].kind)}</td>{_counts_cells(findings)}</tr>"
            )
        out.append(f'<tr class="total"><td colspan="2">All rules</td>{_counts_cells(result.findings)}</tr>')
        out.append("</tbody></table>")
    else:
        out.append('<p class="muted">No findings.</p>')

    if numbered:
        out.append(_by_rule_groups(numbered, rules))

    out.append("<h2>By file</h2>")
    out.append(
        '<table class="by-file"><thead><tr><th>File</th><th>Error</th><th>Warning</th><th>Info</th>'
        "<th>Total</th></tr></thead><tbody>"
    )
    for index, (path, findings) in enumerate(by_path.items(), start=1):
        out.append(
            f'<tr><td><a href="#doc-{index}"><code>{_e(_display_path(path))}</code></a></td>'
            f"{_counts_cells([f for _, f in findings])}</tr>"
        )
    out.append("</tbody></table>")

    for index, (path, findings) in enumerate(by_path.items(), start=1):
        out.append(_document(index, path, result.texts.get(path), findings))
    out.append("</body></html>")
    return "\n".join(out)
