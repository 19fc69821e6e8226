"""The Language Server: a real client session over stdio, plus the position and edit helpers."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls")

from lsprotocol import types

from claimcheck.config import Config
from claimcheck.editors import lsp
from claimcheck.findings import Finding, Severity
from claimcheck.lint import lint_text
from claimcheck.packs import Fix
from claimcheck.text import line_starts

TIMEOUT = 60  # seconds for any one answer; the first lint builds the pipeline

# Line 2 has a character outside the BMP before the claim: one character, two UTF-16 units.
PAGE = "# Spine care\n\nOur 🦴 laser treatment eliminates sciatica.^\n\nCall us today.\n"
CLAIM = {"start": {"line": 2, "character": 23}, "end": {"line": 2, "character": 44}}
MARKER = {"start": {"line": 2, "character": 43}, "end": {"line": 2, "character": 44}}


class LspClient:
    """Just enough of an LSP client: Content-Length framing, requests, notifications."""

    def __init__(self, cwd: Path, command: list[str] | None = None) -> None:
        self.process = subprocess.Popen(
            command or [sys.executable, "-m", "claimcheck", "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
        )
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.notifications: list[dict[str, Any]] = []
        self.next_id = 0
        self._stderr: list[bytes] = []
        threading.Thread(target=self._read, daemon=True).start()
        # Read all along, never letting the pipe fill up; kept for tests of what the server logs.
        self._stderr_reader = threading.Thread(target=lambda: self._stderr.append(self.process.stderr.read()))
        self._stderr_reader.daemon = True
        self._stderr_reader.start()

    def stderr(self) -> str:
        """What the server wrote to stderr, once it has exited."""
        self._stderr_reader.join(TIMEOUT)
        return b"".join(self._stderr).decode("utf-8", "replace")

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            headers: dict[str, str] = {}
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            if not line:
                self.messages.put(None)
                return
            self.messages.put(json.loads(stream.read(int(headers["content-length"])).decode("utf-8")))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def _next(self, deadline: float) -> dict[str, Any]:
        try:
            message = self.messages.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            raise AssertionError("the server did not answer in time") from None
        assert message is not None, "the server closed its output"
        return message

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        deadline = time.monotonic() + TIMEOUT
        while True:
            message = self._next(deadline)
            if message.get("id") == self.next_id and "method" not in message:
                assert "error" not in message, message["error"]
                return message["result"]
            self._keep(message)

    def wait_for(self, method: str, uri: str) -> dict[str, Any]:
        """The params of the next notification `method` for `uri`, including any already received."""
        for index, message in enumerate(self.notifications):
            if message["method"] == method and message["params"].get("uri") == uri:
                return self.notifications.pop(index)["params"]
        deadline = time.monotonic() + TIMEOUT
        while True:
            message = self._next(deadline)
            if message.get("method") == method and message["params"].get("uri") == uri:
                return message["params"]
            self._keep(message)

    def _keep(self, message: dict[str, Any]) -> None:
        if message.get("method") == "window/showMessage" and message["params"]["type"] == 1:
            raise AssertionError(f"the server reported an error: {message['params']['message']}")
        if "id" in message and "method" in message:  # a request from the server: answer it
            self.send({"id": message["id"], "result": None})
        elif "method" in message:
            self.notifications.append(message)

    def close(self) -> int:
        try:
            assert self.request("shutdown", None) is None
            self.notify("exit", None)
            return self.process.wait(timeout=TIMEOUT)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(timeout=TIMEOUT)


def _open(client: LspClient, uri: str, text: str, language_id: str = "markdown") -> list[dict[str, Any]]:
    document = {"uri": uri, "languageId": language_id, "version": 1, "text": text}
    client.notify("textDocument/didOpen", {"textDocument": document})
    return client.wait_for("textDocument/publishDiagnostics", uri)["diagnostics"]


def _apply(text: str, edits: list[dict[str, Any]]) -> str:
    """Apply LSP text edits (UTF-16 positions) to a text, last edit first."""
    lines = lsp.split_lines(text)

    def offset(position: dict[str, int]) -> int:
        line = position["line"]
        before = sum(len(lines[i]) + 1 for i in range(line))  # the test documents use \n
        return before + lsp.from_client_column(lines[line], position["character"])

    for edit in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
        text = text[:start] + edit["newText"] + text[end:]
    return text


def test_session_over_stdio(client: LspClient, tmp_path: Path) -> None:
    result = client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
    capabilities = result["capabilities"]
    assert capabilities["hoverProvider"]
    assert capabilities["codeActionProvider"]["codeActionKinds"] == ["quickfix"]
    assert capabilities["textDocumentSync"]["change"] == types.TextDocumentSyncKind.Full.value
    assert capabilities.get("positionEncoding", "utf-16") == "utf-16"
    client.notify("initialized", {})

    uri = (tmp_path / "page.md").as_uri()
    diagnostics = _open(client, uri, PAGE)
    by_code = {d["code"]: d for d in diagnostics}
    assert sorted((d["code"], json.dumps(d["range"], sort_keys=True)) for d in diagnostics) == sorted(
        [
            ("core/efficacy-claim", json.dumps(CLAIM, sort_keys=True)),
            ("core/footnote-unresolved", json.dumps(MARKER, sort_keys=True)),
            ("core/physician-disclaimer-missing", json.dumps(CLAIM, sort_keys=True)),
        ]
    )
    claim = by_code["core/efficacy-claim"]
    assert claim["severity"] == types.DiagnosticSeverity.Warning.value
    assert by_code["core/footnote-unresolved"]["severity"] == types.DiagnosticSeverity.Error.value
    assert all(d["source"] == "claimcheck" for d in diagnostics)
    assert claim["codeDescription"]["href"] == (
        "https://www.ftc.gov/business-guidance/resources/health-products-compliance-guidance"
    )
    assert claim["message"] == (
        'Efficacy claim stated as fact; hedge it ("may help") or substantiate it.\n'
        "triggered by 'eliminates sciatica'; its footnote marker '^' does not resolve"
    )

    # Hover inside the claim shows the rule's explanation; outside any finding, nothing.
    rules = Config().ruleset().rules
    hover = client.request(
        "textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 30}}
    )
    assert hover["contents"]["kind"] == "markdown"
    assert rules["core/efficacy-claim"].explanation.strip() in hover["contents"]["value"]
    assert rules["core/physician-disclaimer-missing"].explanation.strip() in hover["contents"]["value"]
    assert hover["range"] == CLAIM
    assert (
        client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 3}})
        is None
    )

    # Quick fixes for the claim and the missing disclaimer.
    actions = client.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": CLAIM,
            "context": {"diagnostics": [claim, by_code["core/physician-disclaimer-missing"]]},
        },
    )
    titles = {action["title"]: action for action in actions}
    hedge = titles["Insert a hedge: 'eliminates' → 'may help eliminate' (review the wording)"]
    assert hedge["kind"] == "quickfix"
    assert hedge["diagnostics"] == [claim]
    assert hedge["edit"]["changes"][uri] == [
        {
            "range": {"start": {"line": 2, "character": 23}, "end": {"line": 2, "character": 33}},
            "newText": "may help eliminate",
        }
    ]
    # The rule's own fix text (fix.append), where `check --fix` puts it.
    physician = rules["core/physician-disclaimer-missing"].fix.append
    disclaimer = titles[f"Add '{physician}'"]
    assert disclaimer["edit"]["changes"][uri] == [
        {
            "range": {"start": {"line": 5, "character": 0}, "end": {"line": 5, "character": 0}},
            "newText": f"\n{physician}\n",
        }
    ]
    suppress = [action for title, action in titles.items() if title.startswith("Suppress")]
    # A claim is suppressed on its line; the document-level disclaimer finding for the document.
    assert [action["edit"]["changes"][uri] for action in suppress] == [
        [
            {
                "range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}},
                "newText": "<!-- claimcheck-disable-next-line core/efficacy-claim -- "
                "TODO: say why this is acceptable -->\n",
            }
        ],
        [
            {
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                "newText": "<!-- claimcheck-disable-file core/physician-disclaimer-missing -- "
                "TODO: say why this is acceptable -->\n\n",
            }
        ],
    ]

    # Applying both fixes and sending the new text (full sync) leaves only the footnote marker.
    fixed = _apply(PAGE, hedge["edit"]["changes"][uri] + disclaimer["edit"]["changes"][uri])
    assert fixed == (
        f"# Spine care\n\nOur 🦴 laser treatment may help eliminate sciatica.^\n\nCall us today.\n\n{physician}\n"
    )
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]},
    )
    published = client.wait_for("textDocument/publishDiagnostics", uri)
    assert [(d["code"], d["range"]) for d in published["diagnostics"]] == [
        (
            "core/footnote-unresolved",
            {"start": {"line": 2, "character": 51}, "end": {"line": 2, "character": 52}},
        )
    ]

    # Saving lints again; closing clears the diagnostics.
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert len(client.wait_for("textDocument/publishDiagnostics", uri)["diagnostics"]) == 1
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert client.wait_for("textDocument/publishDiagnostics", uri)["diagnostics"] == []

    assert client.close() == 0


def test_languages_and_utf8_positions(client: LspClient, tmp_path: Path) -> None:
    """A client that prefers UTF-8 positions gets them (pygls 2 negotiates; pygls 1 always answers UTF-16);
    HTML and text are linted, other files are not."""
    result = client.request(
        "initialize",
        {"processId": None, "rootUri": None, "capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}}},
    )
    encoding = result["capabilities"].get("positionEncoding", "utf-16")
    assert encoding == ("utf-8" if int(version("pygls").split(".")[0]) >= 2 else "utf-16")
    client.notify("initialized", {})

    text_uri = (tmp_path / "notes.txt").as_uri()
    # "Café 🦴 " is 11 UTF-8 bytes (é is two, 🦴 four) and 8 UTF-16 units (🦴 is two).
    start = {"utf-8": 11, "utf-16": 8}[encoding]
    diagnostics = _open(client, text_uri, "Café 🦴 cures arthritis.\n\nConsult your physician.\n", "plaintext")
    assert [(d["code"], d["range"]) for d in diagnostics] == [
        (
            "core/efficacy-claim",
            {"start": {"line": 0, "character": start}, "end": {"line": 0, "character": start + 15}},
        )
    ]

    html_uri = (tmp_path / "page.html").as_uri()
    html = '<html><body>\n<p class="lead">Our formula cures arthritis.</p>\n</body></html>\n'
    diagnostics = _open(client, html_uri, html, "html")
    assert {(d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"]) for d in diagnostics} == {
        ("core/efficacy-claim", 1, 28),
        ("core/physician-disclaimer-missing", 1, 28),
    }

    # A language claimcheck does not read gets no diagnostics; the next document still does.
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": (tmp_path / "x.py").as_uri(), "languageId": "python", "version": 1, "text": "x"}},
    )
    by_extension = (tmp_path / "page.markdown").as_uri()
    assert [d["code"] for d in _open(client, by_extension, "It cures arthritis.\n", "")] == [
        "core/efficacy-claim",
        "core/physician-disclaimer-missing",
    ]
    assert not [n for n in client.notifications if n["params"].get("uri", "").endswith("x.py")]
    assert client.close() == 0


def test_broken_config_is_a_diagnostic(client: LspClient, tmp_path: Path) -> None:
    (tmp_path / "claimcheck.yaml").write_text("disable: [core/no-such-rule]\n")
    client.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    client.notify("initialized", {})
    diagnostics = _open(client, (tmp_path / "page.md").as_uri(), "It cures arthritis.\n")
    assert len(diagnostics) == 1
    assert diagnostics[0]["severity"] == types.DiagnosticSeverity.Error.value
    assert diagnostics[0]["message"].startswith("claimcheck: error: disable in ")
    assert "core/no-such-rule" in diagnostics[0]["message"]
    assert client.close() == 0


def test_mdx_is_read_as_mdx_in_the_editor(client: LspClient, tmp_path: Path) -> None:
    # A component on one line is linted, its tag is not; by file name, and by languageId for an unsaved buffer.
    client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
    client.notify("initialized", {})
    text = 'import {Callout} from "./callout"\n\n<Callout>Our cream cures arthritis.</Callout>\n'
    for uri, language_id in (((tmp_path / "page.mdx").as_uri(), "markdown"), ("untitled:Untitled-1", "mdx")):
        diagnostics = _open(client, uri, text, language_id)
        assert ("core/efficacy-claim", 2, 19) in {
            (d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"]) for d in diagnostics
        }, uri
    assert client.close() == 0


def test_excluded_documents_get_no_diagnostics(client: LspClient, tmp_path: Path) -> None:
    # The config's `exclude` holds in the editor as with `check --force-exclude` (pre-commit's hook).
    (tmp_path / "claimcheck.yaml").write_text("packs: [core]\nexclude: ['legal/']\n")
    client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
    client.notify("initialized", {})
    (tmp_path / "legal").mkdir()
    assert _open(client, (tmp_path / "legal" / "terms.md").as_uri(), "It cures arthritis.\n") == []
    assert _open(client, (tmp_path / "page.md").as_uri(), "It cures arthritis.\n") != []
    assert client.close() == 0


def test_a_uri_with_a_nul_is_linted_as_an_untitled_buffer() -> None:
    # "%00" once raised ValueError from Path.resolve, and the editor got no diagnostics at all.
    uri = "file:///tmp/page%00.md"
    assert lsp.uri_to_path(uri) is None
    findings, _ = lsp.lint_source("It cures arthritis.\n", uri, "markdown")
    assert "core/efficacy-claim" in {f.rule for f in findings}


def test_a_lone_surrogate_is_linted_and_positions_stay(client: LspClient, tmp_path: Path) -> None:
    """JSON can send "\\ud800" alone; spaCy could not encode it ("Error in server: UnicodeEncodeError")."""
    client.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    client.notify("initialized", {})
    text = "Our \ud800 cream \U0001f9b4 cures arthritis.\n"  # a lone surrogate is one UTF-16 unit, 🦴 two
    claim = text.index("cures")
    start = len(text[:claim].encode("utf-16-le", "surrogatepass")) // 2
    diagnostics = _open(client, (tmp_path / "page.md").as_uri(), text)
    claim_range = {"start": {"line": 0, "character": start}, "end": {"line": 0, "character": start + 15}}
    assert ("core/efficacy-claim", claim_range) in [(d["code"], d["range"]) for d in diagnostics], diagnostics
    assert client.close() == 0


def test_a_uri_with_a_lone_surrogate_is_linted_as_an_untitled_buffer() -> None:
    uri = "file:///tmp/page\ud800.md"  # no file name holds one; Path.resolve raised UnicodeEncodeError
    assert lsp.uri_to_path(uri) is None
    findings, _ = lsp.lint_source("It cures arthritis.\n", uri, "markdown")
    assert "core/efficacy-claim" in {f.rule for f in findings}


def test_the_rest_of_claimcheck_never_imports_pygls() -> None:
    code = "import sys, claimcheck, claimcheck.cli, claimcheck.lint; print('pygls' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=TIMEOUT, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("line", "column", "utf16", "utf8"),
    [
        ("abc", 2, 2, 2),
        ("é🦴x", 1, 1, 2),  # é: one UTF-16 unit, two UTF-8 bytes
        ("é🦴x", 2, 3, 6),  # 🦴: two UTF-16 units, four UTF-8 bytes
        ("é🦴x", 3, 4, 7),
    ],
)
def test_columns_in_client_units(line: str, column: int, utf16: int, utf8: int) -> None:
    assert lsp.to_client_column(line, column) == utf16
    assert lsp.to_client_column(line, column, "utf-8") == utf8
    assert lsp.to_client_column(line, column, "utf-32") == column
    assert lsp.from_client_column(line, utf16) == column
    assert lsp.from_client_column(line, utf8, "utf-8") == column


def test_lines_break_as_claimcheck_counts_them() -> None:
    # U+2028 and form feeds are not line breaks for claimcheck or LSP (str.splitlines would say they are).
    text = "one\u2028still one\r\ntwo\x0cstill two\rthree\nIt cures arthritis."
    finding = next(f for f in lint_text(text, "notes.txt") if f.rule == "core/efficacy-claim")
    lines = lsp.split_lines(text)
    assert lsp.finding_range(lines, finding) == types.Range(
        start=types.Position(line=3, character=3), end=types.Position(line=3, character=18)
    )


def _finding(rule: str, line: int, column: int, excerpt: str) -> Finding:
    return Finding(
        "page.md", line, column, line, column + len(excerpt), rule, "claim", Severity.WARNING, "m", excerpt, "core"
    )


def test_suppression_comment_per_format() -> None:
    finding = _finding("core/efficacy-claim", 2, 3, "cures arthritis")
    edit = lsp.suppress_edit("Intro\n> It cures arthritis.\n", finding, "markdown")
    assert edit.range.start == types.Position(line=1, character=0)
    assert (
        edit.new_text
        == "> <!-- claimcheck-disable-next-line core/efficacy-claim -- TODO: say why this is acceptable -->\n"
    )
    edit = lsp.suppress_edit("Intro\r\n  It cures arthritis.\r\n", finding, "text")
    assert (
        edit.new_text == "  # claimcheck-disable-next-line core/efficacy-claim -- TODO: say why this is acceptable\r\n"
    )


def test_suppression_comment_silences_the_finding() -> None:
    for name, language, text in (
        ("page.md", "markdown", "Intro.\n\n> Our formula cures arthritis.\n"),
        ("notes.txt", "text", "Intro.\n\n  Our formula cures arthritis.\n"),
        ("page.mdx", "mdx", "Intro.\n\n> Our formula cures arthritis.\n"),
        ("page.html", "html", "<p>Intro.</p>\n\n  <p>Our formula cures arthritis.</p>\n"),
    ):
        finding = next(f for f in lint_text(text, name) if f.rule == "core/efficacy-claim")
        edit = lsp.suppress_edit(text, finding, language)
        assert edit.range.start == edit.range.end == types.Position(line=2, character=0)
        lines = text.split("\n")
        lines.insert(edit.range.start.line, edit.new_text.rstrip("\n"))
        assert "core/efficacy-claim" not in [f.rule for f in lint_text("\n".join(lines), name)]


def test_quick_fixes_come_from_the_rules() -> None:
    text = "It cures arthritis.\n"
    ruleset = Config().ruleset()
    findings = lint_text(text, "page.md")
    lines = lsp.split_lines(text)
    titles = {
        finding.rule: [
            action.title
            for action in lsp.code_actions(
                "file:///page.md", text, "markdown", findings, [lsp.to_diagnostic(finding, ruleset, lines)], ruleset
            )
        ]
        for finding in findings
    }
    assert titles["core/efficacy-claim"] == [
        "Insert a hedge: 'cures' → 'may help cure' (review the wording)",
        "Suppress core/efficacy-claim with a comment",
    ]
    physician = ruleset.rules["core/physician-disclaimer-missing"].fix.append
    assert titles["core/physician-disclaimer-missing"] == [
        f"Add '{physician}'",
        "Suppress core/physician-disclaimer-missing in this document",
    ]


@pytest.mark.parametrize(
    ("name", "format", "text"),
    [
        ("page.md", "markdown", "# Spine care\n\nIt cures arthritis.\n"),
        ("page.md", "markdown", "---\ntitle: Spine care\n---\nIt cures arthritis.\n"),
        ("page.html", "html", "<html><body>\n<p>It cures arthritis.</p>\n</body></html>\n"),
        ("notes.txt", "text", "It cures arthritis.\n"),
        ("page.mdx", "mdx", "It cures arthritis.\n"),
    ],
)
def test_disclaimer_quick_fixes_agree_with_the_cli(name: str, format: str, text: str) -> None:
    """Document-level findings are suppressed with disable-file (and it works), and the rule's fix
    goes exactly where `check --fix` puts it (before </body> in HTML)."""
    from claimcheck.fixes import apply_fix

    rule = "core/physician-disclaimer-missing"
    finding = next(f for f in lint_text(text, name) if f.rule == rule)
    suppressed = _apply_edit(text, lsp.suppress_file_edit(text, finding, format))
    assert f"claimcheck-disable-file {rule}" in suppressed
    assert rule not in [f.rule for f in lint_text(suppressed, name)]
    assert "core/unused-suppression" not in [f.rule for f in lint_text(suppressed, name)]
    fix = Config().ruleset().rules[rule].fix
    assert _apply_edit(text, lsp.fix_edit(text, format, fix)) == apply_fix(text, format, fix)[0]
    if format == "html":
        assert apply_fix(text, format, fix)[0].index(fix.append) < apply_fix(text, format, fix)[0].index("</body>")


def _apply_edit(text: str, edit: types.TextEdit) -> str:
    lines = lsp.split_lines(text)
    line, character = edit.range.start.line, edit.range.start.character
    offset = line_starts(text)[line] + lsp.from_client_column(lines[line], character)
    return text[:offset] + edit.new_text + text[offset:]


@pytest.mark.parametrize(
    ("text", "format"),
    [
        ("Cures it.", "markdown"),
        ("Cures it.\n", "markdown"),
        ("Cures it.\n\n", "markdown"),
        ("---\ntitle: x\n---\nCures it.\n", "markdown"),
        ("Cures it.\r\n", "text"),
        ("<html><body>\n<p>Cures it.</p>\n</body></html>\n", "html"),
    ],
)
@pytest.mark.parametrize("where", ["end", "start"])
def test_fix_goes_where_check_fix_puts_it(text: str, format: str, where: str) -> None:
    from claimcheck.fixes import apply_fix

    fix = Fix("Talk to your doctor.", where)
    assert _apply_edit(text, lsp.fix_edit(text, format, fix)) == apply_fix(text, format, fix)[0]


def test_hedge_keeps_capitals_and_skips_stale_text() -> None:
    finding = _finding("core/efficacy-claim", 1, 1, "Eliminates sciatica")
    edit, word, replacement = lsp.hedge_edit(["Eliminates sciatica fast."], finding)
    assert (word, replacement, edit.new_text) == ("Eliminates", "May help eliminate", "May help eliminate")
    assert lsp.hedge_edit(["Something else entirely."], finding) is None


def test_lsp_without_pygls_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from claimcheck.cli import main

    monkeypatch.delitem(sys.modules, "claimcheck.editors.lsp")
    monkeypatch.setitem(sys.modules, "lsprotocol", None)  # as if the lsp extra were not installed
    result = CliRunner().invoke(main, ["lsp"])
    assert result.exit_code == 2
    assert "pip install 'health-claimcheck[lsp]'" in result.output


def test_hedge_only_before_a_verb() -> None:
    # Offered for any rule a hedge qualifies, so also comparative claims, but only where "may help" reads.
    better = _finding("core/comparative-claim", 1, 12, "better than ibuprofen")
    assert lsp.hedge_edit(["Cream works better than ibuprofen."], better) is None
    cure = _finding("core/efficacy-claim", 1, 11, "cure arthritis")
    assert lsp.hedge_edit(["Our pills cure arthritis."], cure)[2] == "may help cure"
