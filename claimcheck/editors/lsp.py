"""claimcheck as a Language Server (``claimcheck lsp``): findings as diagnostics while you type.

The server only translates between LSP and the library: it lints every format claimcheck
reads (the reader is picked by the file name, as on the command line, else by the client's
languageId) with the same ``lint_text`` pass the CLI runs, using the config found for the
document's path; config edits are seen (configs are cached by modification time, and all
caches are dropped on ``workspace/didChangeWatchedFiles``). Hover shows the rule's
explanation; quick fixes are the fix a rule declares (its ``fix.append`` text, placed where
``check --fix`` places it), an inline suppression comment in the reader's comment syntax,
and a hedge ("may help ...") for claims that a hedge qualifies and that start with a verb.

Only this module imports pygls, and only the ``lsp`` command imports this module, so the
rest of claimcheck runs without the optional ``lsp`` dependencies.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types

from claimcheck import __version__, readers
from claimcheck.config import Config, find_config, forget_configs
from claimcheck.engine import lint_text
from claimcheck.errors import ClaimcheckError
from claimcheck.findings import Finding, Severity
from claimcheck.fixes import apply_fix
from claimcheck.lemmas import lemma_of
from claimcheck.packs import Fix, RuleSet
from claimcheck.sources import MAX_BYTES, too_large
from claimcheck.text import line_starts, newline_of, position, split_lines

SOURCE = "claimcheck"

_SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
SUPPRESSION_REASON = "TODO: say why this is acceptable"
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


# -- documents --------------------------------------------------------------------------------


def document_format(language_id: str | None, uri: str) -> str | None:
    """The reader's format for a document: by its file name, as the CLI picks it, else by the
    client's languageId; None when claimcheck does not read it."""
    suffix = Path(unquote(urlparse(uri).path)).suffix.lower()
    reader = readers.READERS.get(readers.FORMATS.get(suffix, "")) or readers.for_language(language_id or "")
    return reader.format if reader is not None else None


# JSON can write half of a UTF-16 pair alone ("\ud800"); no encoder, spaCy's included, takes one.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(text: str) -> str:
    """The text with each lone surrogate replaced by U+FFFD, which is one character and one UTF-16
    code unit as the surrogate was, so every position in the text stays where it was."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def uri_to_path(uri: str) -> str | None:
    """The file-system path of a file: URI; None for untitled buffers and other schemes."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if "\x00" in path or _LONE_SURROGATE.search(path):  # no file has "%00" or "\ud800" in its name
        return None  # lint the text as an untitled buffer's
    if re.match(r"^/[A-Za-z]:", path):  # file:///C:/... on Windows
        path = path[1:]
    return f"//{parsed.netloc}{path}" if parsed.netloc else path


def lint_source(text: str, uri: str, format: str) -> tuple[list[Finding], RuleSet]:
    """Findings for a document's current text, with the config found for its path (none when it
    excludes it); a text over the size limit for files is refused as the file would be (InputError)."""
    path = uri_to_path(uri)
    config = find_config(Path(path).resolve().parent) if path else Config()
    ruleset = config.for_path(Path(path or uri)).ruleset()
    if path and config.excludes(Path(path)):
        return [], ruleset  # the config's `exclude` holds in the editor as on the command line
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:  # a 21 MB document took over 4 minutes and 2 GB, and the server answered nothing else
        raise too_large(path or uri, size, MAX_BYTES)
    return lint_text(text, path or uri, format, config), ruleset


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


def suppress_edit(text: str, finding: Finding, format: str) -> types.TextEdit:
    """The reader's suppression comment on a line above the finding's line, indented (and, in
    Markdown, quoted) like that line."""
    reader = readers.for_format(format)
    lines = split_lines(text)
    index = min(finding.line - 1, len(lines) - 1)
    indent = reader.comment_indent.match(lines[index]).group()  # type: ignore[union-attr]
    comment = reader.comment(f"claimcheck-disable-next-line {finding.rule} -- {SUPPRESSION_REASON}")
    start = types.Position(line=index, character=0)
    return types.TextEdit(range=types.Range(start=start, end=start), new_text=indent + comment + newline_of(text))


def suppress_file_edit(text: str, finding: Finding, format: str, encoding: str = "utf-16") -> types.TextEdit:
    """A `claimcheck-disable-file` comment where the reader puts a paragraph at the start (after
    Markdown front matter, after `<body>`): document-level findings are silenced for the document."""
    reader = readers.for_format(format)
    comment = reader.comment(f"claimcheck-disable-file {finding.rule} -- {SUPPRESSION_REASON}")
    # Where a paragraph would go; the comment replaces it whole (HTML wraps a paragraph in <p>).
    placeholder = "claimcheckdisablefileplaceholder"
    offset, inserted = reader.insert_paragraph(text, placeholder, "start")
    inserted = inserted.replace(f"<p>{placeholder}</p>", comment).replace(placeholder, comment)
    line, column = position(line_starts(text), offset)
    where = to_client_position(split_lines(text), line, column, encoding)
    return types.TextEdit(range=types.Range(start=where, end=where), new_text=inserted)


def hedge_replacement(word: str) -> str:
    """'eliminates' -> 'may help eliminate': the hedge before the verb's base form, capitalised
    like the word it replaces."""
    hedged = "may help " + lemma_of(word)
    return hedged[0].upper() + hedged[1:] if word[:1].isupper() else hedged


def _verb(word: str) -> bool:
    """'eliminates', 'cures', 'cure': a present-tense verb "may help" can go before (not 'better', 'faster')."""
    word, lemma = word.lower(), lemma_of(word)
    if word == lemma:  # a base form: a verb if its -s form is one of its forms
        return lemma_of(word + "s") == word or lemma_of(word + "es") == word
    return word in (lemma + "s", lemma + "es", lemma[:-1] + "ies")


def hedge_edit(lines: list[str], finding: Finding, encoding: str = "utf-16") -> tuple[types.TextEdit, str, str] | None:
    """Replace the claim's first word, a verb, with a hedged form; None when the claim does not
    start with a verb or the text has moved on."""
    match = _WORD.match(finding.excerpt)
    index = finding.line - 1
    if not match or index >= len(lines) or not _verb(match.group()):
        return None
    word, column = match.group(), finding.column - 1
    if lines[index][column : column + len(word)] != word:
        return None
    start = to_client_position(lines, finding.line, finding.column, encoding)
    end = types.Position(line=index, character=to_client_column(lines[index], column + len(word), encoding))
    replacement = hedge_replacement(word)
    return types.TextEdit(range=types.Range(start=start, end=end), new_text=replacement), word, replacement


def fix_edit(text: str, format: str, fix: Fix, encoding: str = "utf-16") -> types.TextEdit:
    """The rule's fix as `check --fix` makes it: its text, where the format's reader puts a paragraph."""
    _, (offset, inserted) = apply_fix(text, format, fix)
    line, column = position(line_starts(text), offset)
    where = to_client_position(split_lines(text), line, column, encoding)
    return types.TextEdit(range=types.Range(start=where, end=where), new_text=inserted)


def code_actions(
    uri: str,
    text: str,
    format: str,
    findings: list[Finding],
    diagnostics: list[types.Diagnostic],
    ruleset: RuleSet,
    encoding: str = "utf-16",
) -> list[types.CodeAction]:
    """Quick fixes for the diagnostics the client asks about, from what each rule declares."""
    lines = split_lines(text)
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
        rule = ruleset.rules.get(finding.rule) if finding else None
        if finding is None or rule is None:
            continue
        if "hedge" in rule.suppressed_by and (hedge := hedge_edit(lines, finding, encoding)):
            edit, word, replacement = hedge
            action(f"Insert a hedge: '{word}' → '{replacement}' (review the wording)", diagnostic, edit)
        if rule.fix is not None and not readers.for_format(format).never_written:
            action(f"Add '{rule.fix.append}'", diagnostic, fix_edit(text, format, rule.fix, encoding), True)
        if finding.kind == "disclaimer":  # about the whole document, not the line it points at
            edit = suppress_file_edit(text, finding, format, encoding)
            action(f"Suppress {finding.rule} in this document", diagnostic, edit)
        elif finding.kind != "suppression":  # a broken directive is fixed, not suppressed
            action(f"Suppress {finding.rule} with a comment", diagnostic, suppress_edit(text, finding, format))
    return actions


# -- the server ---------------------------------------------------------------------------------


@dataclass
class _Linted:
    """The last lint of an open document: what hover and code actions answer from."""

    text: str
    format: str
    findings: list[Finding]
    ruleset: RuleSet | None


def _encoding(server) -> str:  # type: ignore[no-untyped-def]
    """The position encoding negotiated at initialize (pygls picks one the client offers)."""
    protocol = getattr(server, "protocol", None) or getattr(server, "lsp", None)
    encoding = getattr(getattr(protocol, "server_capabilities", None), "position_encoding", None) or "utf-16"
    return str(getattr(encoding, "value", encoding))


# Typing sends a change per keystroke; linting each one would fall further and further behind.
DEBOUNCE_SECONDS = 0.25
# No editor sends a document this large in one message; a Content-Length beyond it is dropped
# in pieces (the server stays in step with the client) instead of allocated whole.
MAX_MESSAGE_BYTES = 64 * 1024 * 1024


# What _BoundedStdin reads in place of a message it dropped: {_DROPPED: the request's id or None}.
_DROPPED = "claimcheck/dropped"
# The members of a JSON object before its first nested value: where clients put "id" and "method".
_SCALAR_MEMBER = re.compile(rb'\s*("(?:[^"\\]|\\.)*")\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+|true|false|null)\s*,')
# The header line that starts a message (as pygls reads it), at the end of what was read.
_HEADER = re.compile(rb"Content-Length: \d+\r\n\Z")


class _BoundedStdin:
    """The server's stdin, with the size of what one read may allocate bounded."""

    def __init__(self, stream) -> None:  # type: ignore[no-untyped-def]
        self.stream = stream
        self.header = b""  # a header line met while dropping a message: the next line to read

    def readline(self) -> bytes:
        if self.header:
            line, self.header = self.header, b""
            return line
        return self.stream.readline(64 * 1024)

    def read(self, size: int) -> bytes:
        if size <= MAX_MESSAGE_BYTES:
            return self.stream.read(size)
        # readline, not read: a piece ends at a line break as well as at its size, so a short
        # body waits for no more bytes than it has.
        head = self.stream.readline(min(size, 4096))
        request_id = _request_id(head)
        self._drop(head, size - len(head))
        limit = MAX_MESSAGE_BYTES // 1_048_576
        print(f"claimcheck lsp: dropped a message over the {limit} MiB limit", file=sys.stderr)
        return json.dumps({_DROPPED: request_id}).encode()

    def _drop(self, piece: bytes, size: int) -> None:
        """Read past the `size` bytes after `piece`, a megabyte at a time. A Content-Length line
        among them ends the drop: no JSON body holds one (a line break in a JSON string is written
        "\\n"), so the length was a lie and the next message starts there. Reading on to the length
        would swallow every message after it, the client waiting for answers that never come."""
        before = b""  # the end of the piece before: a header line may be split between two pieces
        while not (header := _HEADER.search(before + piece)):
            if size <= 0 or not piece:
                return
            before, piece = piece[-128:], self.stream.readline(min(size, 1 << 20))
            size -= len(piece)
        self.header = header.group()


def _request_id(head: bytes) -> int | str | None:
    """The id of the request whose body starts with `head`, when it comes before the first nested
    value (clients write "jsonrpc", "id" and "method" before "params"); else None, as for a
    notification, which has no id."""
    members: dict[str, object] = {}
    start = head.find(b"{") + 1
    if not start or head[: start - 1].strip():
        return None
    while member := _SCALAR_MEMBER.match(head, start):
        try:
            members[json.loads(member[1])] = json.loads(member[2])
        except ValueError:  # an escape JSON does not have, or bytes that are not UTF-8
            return None
        start = member.end()
    request_id = members.get("id")
    return request_id if "method" in members and type(request_id) in (int, str) else None


def _protocol_class():  # type: ignore[no-untyped-def]
    """pygls's protocol, answering a request whose params do not parse with the error (pygls only
    logs it), and passing over a message too large to read (pygls took it for a broken one)."""
    from pygls.exceptions import JsonRpcException, JsonRpcInvalidRequest
    from pygls.protocol import LanguageServerProtocol

    class Protocol(LanguageServerProtocol):
        def handle_message(self, message):  # type: ignore[no-untyped-def]
            if isinstance(message, dict) and _DROPPED in message:  # what _BoundedStdin read for one too large
                if message[_DROPPED] is not None:
                    limit = MAX_MESSAGE_BYTES // 1_048_576
                    error = JsonRpcInvalidRequest(f"claimcheck: the message is over the {limit} MiB limit; dropped")
                    self._send_response(message[_DROPPED], error=error.to_response_error())
                return
            super().handle_message(message)

        def structure_message(self, data):  # type: ignore[no-untyped-def]
            try:
                return super().structure_message(data)
            except JsonRpcException as error:
                if "id" in data and "method" in data:
                    self._send_response(data["id"], error=error.to_response_error())
                raise

    return Protocol


def create_server():  # type: ignore[no-untyped-def]
    """A pygls LanguageServer with claimcheck's handlers registered."""
    import asyncio

    try:
        from pygls.lsp.server import LanguageServer  # pygls 2
    except ImportError:  # pragma: no cover - pygls 1.x
        from pygls.server import LanguageServer

    server = LanguageServer(
        "claimcheck",
        __version__,
        text_document_sync_kind=types.TextDocumentSyncKind.Full,
        protocol_cls=_protocol_class(),
    )
    linted: dict[str, _Linted] = {}
    changes: dict[str, int] = {}  # how many changes each document has had: the newest one lints

    def publish(uri: str, diagnostics: list[types.Diagnostic], version: int | None = None) -> None:
        if hasattr(server, "text_document_publish_diagnostics"):
            params = types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
            server.text_document_publish_diagnostics(params)
        else:  # pragma: no cover - pygls 1.x
            server.publish_diagnostics(uri, diagnostics, version)

    def lint_and_publish(uri: str) -> None:
        document = server.workspace.get_text_document(uri)
        format = document_format(document.language_id, uri)
        if format is None:
            return
        text = without_lone_surrogates(document.source)
        try:
            findings, ruleset = lint_source(text, uri, format)
        except ClaimcheckError as error:
            linted[uri] = _Linted(text, format, [], None)
            publish(uri, [error_diagnostic(error)], document.version)
            return
        linted[uri] = _Linted(text, format, findings, ruleset)
        lines, encoding = split_lines(text), _encoding(server)
        publish(uri, [to_diagnostic(f, ruleset, lines, encoding) for f in findings], document.version)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls, params: types.DidOpenTextDocumentParams) -> None:  # type: ignore[no-untyped-def]
        lint_and_publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls, params: types.DidChangeTextDocumentParams) -> None:  # type: ignore[no-untyped-def]
        uri = params.text_document.uri
        changes[uri] = change = changes.get(uri, 0) + 1
        await asyncio.sleep(DEBOUNCE_SECONDS)
        if changes.get(uri) == change:  # no newer change came while waiting
            lint_and_publish(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls, params: types.DidSaveTextDocumentParams) -> None:  # type: ignore[no-untyped-def]
        lint_and_publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls, params: types.DidCloseTextDocumentParams) -> None:  # type: ignore[no-untyped-def]
        if linted.pop(params.text_document.uri, None) is not None:
            publish(params.text_document.uri, [])

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files_changed(ls, params: types.DidChangeWatchedFilesParams) -> None:  # type: ignore[no-untyped-def]
        # A config created, deleted or changed: find and load configs afresh, then lint again.
        forget_configs()
        for uri in list(linted):
            lint_and_publish(uri)

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
        if state is None or state.ruleset is None:
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
        uri, ruleset = params.text_document.uri, state.ruleset
        return code_actions(uri, state.text, state.format, state.findings, diagnostics, ruleset, encoding)

    return server


def serve() -> None:
    """Run the server on stdin/stdout until the client says exit."""
    import sys

    if sys.stdin is None or sys.stdout is None:  # started with "<&-" or ">&-": no client to talk to
        raise ClaimcheckError("the language server talks over standard input and output, and one is closed")
    create_server().start_io(stdin=_BoundedStdin(sys.stdin.buffer))
