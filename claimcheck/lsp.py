"""claimcheck as a Language Server (``claimcheck lsp``): findings as diagnostics while you type.

The server lints Markdown, HTML and plain-text documents on open, change and save with the
same ``lint_text`` pass the CLI runs, using the config found for the document's path. It
answers hover requests with the rule's explanation and offers quick fixes: an inline
suppression comment (when claimcheck supports them), a hedge for efficacy claims and the
physician disclaimer.

Only this module imports pygls, and only the ``lsp`` command imports this module, so the
rest of claimcheck runs without the optional ``lsp`` dependencies.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types

from claimcheck import __version__
from claimcheck.config import Config, find_config
from claimcheck.errors import ClaimcheckError
from claimcheck.findings import Finding, Severity
from claimcheck.lint import lint_text
from claimcheck.packs import RuleSet
from claimcheck.readers import FORMATS

SOURCE = "claimcheck"

# Line breaks as claimcheck's readers and the LSP specification both count them (not str.splitlines,
# which also breaks on form feeds and U+2028 and would shift every line after one).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

LANGUAGES = ("markdown", "html", "plaintext")
_LANGUAGE_BY_EXTENSION = {
    **{suffix: "markdown" if fmt == "markdown" else "plaintext" for suffix, fmt in FORMATS.items()},
    ".html": "html",
    ".htm": "html",
}
_SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
HEDGE_RULE = "core/efficacy-claim"
PHYSICIAN_RULE = "core/physician-disclaimer-missing"
PHYSICIAN_DISCLAIMER = "Talk to your doctor before starting any new treatment."
SUPPRESSION_REASON = "TODO: say why this is acceptable"
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_HTML_NOT_PROSE = re.compile(
    r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<![^>]*>|</?[A-Za-z][^>]*>", re.DOTALL | re.IGNORECASE
)


# -- documents --------------------------------------------------------------------------------


def document_language(language_id: str | None, uri: str) -> str | None:
    """markdown, html or plaintext from the client's languageId, else from the URI's extension."""
    if language_id in LANGUAGES:
        return language_id
    if language_id == "text":  # Neovim sends its filetype, which is "text" for plain text
        return "plaintext"
    return _LANGUAGE_BY_EXTENSION.get(Path(unquote(urlparse(uri).path)).suffix.lower())


def uri_to_path(uri: str) -> str | None:
    """The file-system path of a file: URI; None for untitled buffers and other schemes."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if re.match(r"^/[A-Za-z]:", path):  # file:///C:/... on Windows
        path = path[1:]
    return f"//{parsed.netloc}{path}" if parsed.netloc else path


def _has_html_reader() -> bool:
    return "html" in FORMATS.values()


def _blank_html(text: str) -> str:
    """HTML as plain text of the same length: tags, comments, scripts and styles become spaces
    (line breaks kept), so positions still point into the original. Used only until claimcheck
    has a reader of its own for HTML."""
    return _HTML_NOT_PROSE.sub(lambda m: re.sub(r"[^\r\n]", " ", m.group()), text)


def lint_source(text: str, uri: str, language: str) -> tuple[list[Finding], RuleSet]:
    """Findings for a document's current text, with the config found for its path."""
    path = uri_to_path(uri)
    config = find_config(Path(path).resolve().parent) if path else Config()
    name = path or uri
    if language == "html" and not _has_html_reader():
        text, reader = _blank_html(text), "text"
    else:
        reader = {"markdown": "markdown", "html": "html"}.get(language, "text")
    return lint_text(text, name, reader, config), config.ruleset()


def split_lines(text: str) -> list[str]:
    """The document's lines without their line breaks."""
    return _LINE_BREAK.split(text)


def _newline(text: str) -> str:
    match = _LINE_BREAK.search(text)
    return match.group() if match else "\n"


# -- positions: claimcheck counts characters from 1, LSP counts code units from 0 ------------------


def to_client_column(line: str, column: int, encoding: str = "utf-16") -> int:
    """A 0-based character column as the client counts it: UTF-16 code units unless the client
    negotiated UTF-8 or UTF-32 (characters outside the BMP are two UTF-16 units)."""
    prefix = line[: max(column, 0)]
    if encoding == "utf-32":
        return len(prefix)
    if encoding == "utf-8":
        return len(prefix.encode("utf-8", "surrogatepass"))
    return len(prefix.encode("utf-16-le", "surrogatepass")) // 2


def from_client_column(line: str, character: int, encoding: str = "utf-16") -> int:
    """The 0-based character column of a client position (the inverse of ``to_client_column``)."""
    units = 0
    for index, char in enumerate(line):
        if units >= character:
            return index
        units += to_client_column(char, 1, encoding)
    return len(line)


def to_client_position(lines: list[str], line: int, column: int, encoding: str = "utf-16") -> types.Position:
    """A 1-based claimcheck (line, column) as a 0-based LSP position."""
    index = min(max(line - 1, 0), len(lines) - 1)
    return types.Position(line=index, character=to_client_column(lines[index], column - 1, encoding))


def finding_range(lines: list[str], finding: Finding, encoding: str = "utf-16") -> types.Range:
    """A finding's span; claimcheck's end column is exclusive, like LSP's end position."""
    return types.Range(
        start=to_client_position(lines, finding.line, finding.column, encoding),
        end=to_client_position(lines, finding.end_line, finding.end_column, encoding),
    )


# -- diagnostics and hover ----------------------------------------------------------------------


def to_diagnostic(finding: Finding, ruleset: RuleSet, lines: list[str], encoding: str = "utf-16") -> types.Diagnostic:
    """One finding as an LSP diagnostic; the rule's first reference link is its code description."""
    rule = ruleset.rules.get(finding.rule)
    href = next((ref["url"] for ref in rule.references if ref.get("url")), None) if rule else None
    return types.Diagnostic(
        range=finding_range(lines, finding, encoding),
        severity=_SEVERITIES[finding.severity],
        code=finding.rule,
        code_description=types.CodeDescription(href=href) if href else None,
        source=SOURCE,
        message=f"{finding.message}\n{finding.explanation}" if finding.explanation else finding.message,
    )


def error_diagnostic(error: ClaimcheckError) -> types.Diagnostic:
    """A broken config or rule pack, shown on the first line rather than failing silently."""
    return types.Diagnostic(
        range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
        severity=types.DiagnosticSeverity.Error,
        source=SOURCE,
        message=f"claimcheck: error: {error}",
    )


def _contains(span: types.Range, position: types.Position) -> bool:
    start, end = span.start, span.end
    after_start = (position.line, position.character) >= (start.line, start.character)
    before_end = (position.line, position.character) <= (end.line, end.character)
    return after_start and before_end


def _overlaps(first: types.Range, second: types.Range) -> bool:
    return _contains(first, second.start) or _contains(first, second.end) or _contains(second, first.start)


def hover_markdown(findings: list[Finding], ruleset: RuleSet) -> str:
    """The explanation of each rule reported here, as Markdown."""
    sections = []
    for rule_id in dict.fromkeys(finding.rule for finding in findings):
        rule = ruleset.rules.get(rule_id)
        if rule is None:
            continue
        links = [f"[{ref['title']}]({ref['url']})" for ref in rule.references if ref.get("url")]
        section = f"**{rule.id}** ({rule.severity.value}): {rule.message}\n\n{rule.explanation.strip()}"
        sections.append(section + ("\n\nSee: " + "; ".join(links) if links else ""))
    return "\n\n---\n\n".join(sections)


# -- code actions -----------------------------------------------------------------------------


@cache
def suppressions_supported() -> bool:
    """Whether this claimcheck honours inline ``claimcheck-disable-next-line`` comments."""
    return importlib.util.find_spec("claimcheck.filters.suppressions") is not None


def suppression_comment(rule_id: str, language: str) -> str:
    if language == "plaintext":
        return f"# claimcheck-disable-next-line {rule_id} -- {SUPPRESSION_REASON}"
    return f"<!-- claimcheck-disable-next-line {rule_id} -- {SUPPRESSION_REASON} -->"


def suppress_edit(text: str, finding: Finding, language: str) -> types.TextEdit:
    """The comment line above the finding's line, indented (and quoted) like that line."""
    lines = split_lines(text)
    index = min(finding.line - 1, len(lines) - 1)
    prefix = re.match(r"[ \t]*(?:>[ \t]?)*" if language == "markdown" else r"[ \t]*", lines[index]).group()
    start = types.Position(line=index, character=0)
    comment = prefix + suppression_comment(finding.rule, language) + _newline(text)
    return types.TextEdit(range=types.Range(start=start, end=start), new_text=comment)


@cache
def _lemmas() -> dict[str, str]:
    # The same lookup table claimcheck expands pack lemmas from; loaded only when a hedge is asked for.
    data = resources.files("spacy_lookups_data") / "data" / "en_lemma_lookup.json.gz"
    return {form.lower(): lemma.lower() for form, lemma in json.loads(gzip.decompress(data.read_bytes())).items()}


def hedge_replacement(word: str) -> str:
    """'eliminates' -> 'may help eliminate': the hedge before the verb's base form, capitalised
    like the word it replaces."""
    hedged = "may help " + _lemmas().get(word.lower(), word.lower())
    return hedged[0].upper() + hedged[1:] if word[:1].isupper() else hedged


def hedge_edit(lines: list[str], finding: Finding, encoding: str = "utf-16") -> tuple[types.TextEdit, str, str] | None:
    """Replace the claim's first word with a hedged form; None when the text has moved on."""
    match = _WORD.match(finding.excerpt)
    index = finding.line - 1
    if not match or index >= len(lines):
        return None
    word, column = match.group(), finding.column - 1
    if lines[index][column : column + len(word)] != word:
        return None
    start = to_client_position(lines, finding.line, finding.column, encoding)
    end = types.Position(line=index, character=to_client_column(lines[index], column + len(word), encoding))
    replacement = hedge_replacement(word)
    return types.TextEdit(range=types.Range(start=start, end=end), new_text=replacement), word, replacement


def disclaimer_edit(text: str, language: str, encoding: str = "utf-16") -> types.TextEdit:
    """The physician disclaimer as a paragraph of its own at the end of the document."""
    lines, newline = split_lines(text), _newline(text)
    sentence = f"<p>{PHYSICIAN_DISCLAIMER}</p>" if language == "html" else PHYSICIAN_DISCLAIMER
    if not text.strip():
        lead = ""
    elif lines[-1] == "" and len(lines) > 1 and not lines[-2].strip():
        lead = ""  # already ends with a blank line
    elif lines[-1] == "":
        lead = newline
    else:
        lead = newline * 2
    end = types.Position(line=len(lines) - 1, character=to_client_column(lines[-1], len(lines[-1]), encoding))
    return types.TextEdit(range=types.Range(start=end, end=end), new_text=lead + sentence + newline)


def code_actions(
    uri: str,
    text: str,
    language: str,
    findings: list[Finding],
    diagnostics: list[types.Diagnostic],
    encoding: str = "utf-16",
    suppressions: bool | None = None,
) -> list[types.CodeAction]:
    """Quick fixes for the diagnostics the client asks about."""
    lines = split_lines(text)
    suppressions = suppressions_supported() if suppressions is None else suppressions
    # An HTML document read as plain text cannot carry an HTML suppression comment.
    suppressions = suppressions and (language != "html" or _has_html_reader())
    actions: list[types.CodeAction] = []

    def action(title: str, diagnostic: types.Diagnostic, edit: types.TextEdit, preferred: bool = False) -> None:
        actions.append(
            types.CodeAction(
                title=title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                is_preferred=preferred or None,
                edit=types.WorkspaceEdit(changes={uri: [edit]}),
            )
        )

    for diagnostic in diagnostics:
        finding = next(
            (
                f
                for f in findings
                if f.rule == diagnostic.code and finding_range(lines, f, encoding) == diagnostic.range
            ),
            None,
        )
        if finding is None:
            continue
        if finding.rule == HEDGE_RULE and (hedge := hedge_edit(lines, finding, encoding)):
            edit, word, replacement = hedge
            action(f"Insert a hedge: '{word}' → '{replacement}' (review the wording)", diagnostic, edit)
        if finding.rule == PHYSICIAN_RULE:
            action(f"Add '{PHYSICIAN_DISCLAIMER}'", diagnostic, disclaimer_edit(text, language, encoding), True)
        if suppressions and finding.kind != "suppression":  # a broken directive is fixed, not suppressed
            action(f"Suppress {finding.rule} with a comment", diagnostic, suppress_edit(text, finding, language))
    return actions


# -- the server ---------------------------------------------------------------------------------


@dataclass
class _Linted:
    """The last lint of an open document: what hover and code actions answer from."""

    text: str
    language: str
    findings: list[Finding]
    ruleset: RuleSet | None


def _encoding(server) -> str:  # type: ignore[no-untyped-def]
    """The position encoding negotiated at initialize (pygls picks one the client offers)."""
    protocol = getattr(server, "protocol", None) or getattr(server, "lsp", None)
    encoding = getattr(getattr(protocol, "server_capabilities", None), "position_encoding", None) or "utf-16"
    return str(getattr(encoding, "value", encoding))


def create_server():  # type: ignore[no-untyped-def]
    """A pygls LanguageServer with claimcheck's handlers registered."""
    try:
        from pygls.lsp.server import LanguageServer  # pygls 2
    except ImportError:  # pragma: no cover - pygls 1.x
        from pygls.server import LanguageServer

    server = LanguageServer("claimcheck", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
    linted: dict[str, _Linted] = {}

    def publish(uri: str, diagnostics: list[types.Diagnostic], version: int | None = None) -> None:
        if hasattr(server, "text_document_publish_diagnostics"):
            params = types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
            server.text_document_publish_diagnostics(params)
        else:  # pragma: no cover - pygls 1.x
            server.publish_diagnostics(uri, diagnostics, version)

    def lint_and_publish(uri: str) -> None:
        document = server.workspace.get_text_document(uri)
        language = document_language(document.language_id, uri)
        if language is None:
            return
        text = document.source
        try:
            findings, ruleset = lint_source(text, uri, language)
        except ClaimcheckError as error:
            linted[uri] = _Linted(text, language, [], None)
            publish(uri, [error_diagnostic(error)], document.version)
            return
        linted[uri] = _Linted(text, language, findings, ruleset)
        lines, encoding = split_lines(text), _encoding(server)
        publish(uri, [to_diagnostic(f, ruleset, lines, encoding) for f in findings], document.version)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls, params: types.DidOpenTextDocumentParams) -> None:  # type: ignore[no-untyped-def]
        lint_and_publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls, params: types.DidChangeTextDocumentParams) -> None:  # type: ignore[no-untyped-def]
        lint_and_publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls, params: types.DidSaveTextDocumentParams) -> None:  # type: ignore[no-untyped-def]
        lint_and_publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls, params: types.DidCloseTextDocumentParams) -> None:  # type: ignore[no-untyped-def]
        if linted.pop(params.text_document.uri, None) is not None:
            publish(params.text_document.uri, [])

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls, params: types.HoverParams) -> types.Hover | None:  # type: ignore[no-untyped-def]
        state = linted.get(params.text_document.uri)
        if state is None or state.ruleset is None:
            return None
        lines, encoding = split_lines(state.text), _encoding(server)
        here = [f for f in state.findings if _contains(finding_range(lines, f, encoding), params.position)]
        if not here:
            return None
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=hover_markdown(here, state.ruleset)),
            range=finding_range(lines, here[0], encoding),
        )

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(ls, params: types.CodeActionParams) -> list[types.CodeAction]:  # type: ignore[no-untyped-def]
        state = linted.get(params.text_document.uri)
        if state is None:
            return []
        lines, encoding = split_lines(state.text), _encoding(server)
        diagnostics = [d for d in params.context.diagnostics if d.source == SOURCE]
        if not params.context.diagnostics:
            # Some clients send no diagnostics with the request: offer fixes for what the range touches.
            diagnostics = [
                to_diagnostic(f, state.ruleset, lines, encoding)
                for f in state.findings
                if state.ruleset and _overlaps(finding_range(lines, f, encoding), params.range)
            ]
        return code_actions(params.text_document.uri, state.text, state.language, state.findings, diagnostics, encoding)

    return server


def serve() -> None:
    """Run the server on stdin/stdout until the client says exit."""
    create_server().start_io()
