"""Testing a rule pack: every rule's `examples` and the pack's YAML cases, run through the linter.

`claimcheck test-pack` and the project's own rule tests (tests/test_rule_fixtures.py) both
use this module, so a pack author's CI runs exactly what claimcheck's own suite runs.

Where the cases are:

- each rule's `examples:` in the pack file (`report:` and `pass:` sentences);
- YAML case files, one per rule, named after the part of the rule id after the slash, beside
  the pack file: `<pack-dir>/tests/<pack>/<rule>.yml` or `<pack-dir>/tests/<rule>.yml`. That holds
  for a pack file named by path and for an installed third-party pack (which ships them inside
  its package); the built-in packs keep theirs in the checkout, `tests/rules/<pack>/<rule>.yml`
  (not in the wheel). `claimcheck explain` shows a rule's cases from the same place.

A case file holds `rule: <id>`, `report:` cases (`text`, optional `findings:` a list of
`{line, column, excerpt}` the rule must report exactly) and `pass:` sentences. Either kind of
case may be a mapping with `options:`, the pack's options to lint it with (`{pathway: pma}`,
as `pack_options` would set them for the pack). A `report`
case must fire its rule (where `findings` are given, exactly there), a `pass` case must
not. A rule that lists the same sentence under `report` and `pass`, a case file for a rule
the pack does not define, or a malformed case file is a broken pack (ConfigError).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimcheck.errors import ConfigError
from claimcheck.findings import Finding
from claimcheck.packs import Rule, builtin_dir, is_pack_name, line_of, load_yaml, pack_source, resolve_pack

FINDING_KEYS = ("line", "column", "excerpt")


@dataclass(frozen=True)
class Case:
    """One sentence (or small document) a rule must report, or must not."""

    rule: str
    expect: str  # "report" | "pass"
    text: str
    where: str  # "file:line" of the case, for messages
    findings: tuple[dict[str, Any], ...] | None = None  # report cases: where exactly, when given
    options: tuple[tuple[str, str], ...] = ()  # the pack's options for this case (pack_options)


@dataclass(frozen=True)
class PackCases:
    """A pack and every case that tests it."""

    name: str
    reference: str  # what Config(packs=...) loads: an installed pack's name or an absolute path
    rules: tuple[str, ...]  # the pack's own rule ids (not those of packs it extends)
    cases: tuple[Case, ...]
    case_files: tuple[Path, ...] = ()

    def texts(self, rule: str, expect: str = "report") -> list[str]:
        return [case.text for case in self.cases if case.rule == rule and case.expect == expect]


@dataclass
class Outcome:
    """What running a pack's cases found: failures, one line each, and how many cases ran."""

    pack: PackCases
    failures: list[str] = field(default_factory=list)
    ran: int = 0


def collect(reference: str, base: Path | None = None) -> PackCases:
    """A pack's rules and cases; ConfigError when the pack or its cases are broken."""
    named = is_pack_name(reference)
    path = resolve_pack(reference, base).resolve()
    builtin = named and pack_source(reference).builtin
    data, node = load_yaml(path)
    if not isinstance(data, dict) or "pack" not in data:
        raise ConfigError(f"{path}:1: a rule pack must be a mapping with a 'pack' key")
    name = data["pack"]
    rules: list[str] = []
    cases: list[Case] = []
    for index, rule in enumerate(data.get("rules") or []):
        rules.append(rule["id"])
        for expect in ("report", "pass"):
            for number, text in enumerate((rule.get("examples") or {}).get(expect) or []):
                line = line_of(node, ["rules", index, "examples", expect, number])
                cases.append(Case(rule["id"], expect, text, f"{path}:{line}"))
    files = case_files(path, name, builtin)
    for file in files:
        cases.extend(_file_cases(file, name, rules))
    _refuse_contradictions(cases)
    return PackCases(name, reference if named else str(path), tuple(rules), tuple(cases), tuple(files))


def _case_folders(pack: Path, name: str, builtin: bool) -> list[Path]:
    """Where a pack's case files live (see the module docstring), most specific first."""
    folders = [pack.parent / "tests" / name, pack.parent / "tests"]
    if builtin:
        folders.insert(0, builtin_dir().parent / "tests" / "rules" / name)
    return folders


def case_files(pack: Path, name: str, builtin: bool) -> list[Path]:
    """The YAML case files of a pack: every file of the folder named after it, and the files of
    its `tests/` folder that say they hold cases for one of its rules."""
    found: list[Path] = []
    for folder in _case_folders(pack, name, builtin):
        for file in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
            data, _ = load_yaml(file, what="a pack test file")
            rule = data.get("rule") if isinstance(data, dict) else None
            if folder.name == name or (isinstance(rule, str) and rule.startswith(f"{name}/")):
                found.append(file)
    return found


def rule_cases(rule: Rule) -> tuple[Path | None, list[Case]]:
    """The case file of one rule and its cases, found as `test-pack` finds them; (None, []) when
    the pack has none (a built-in pack installed from a wheel ships no case files)."""
    if not rule.source:
        return None, []
    pack = Path(rule.source)
    builtin = pack.parent.resolve() == builtin_dir().resolve()
    for folder in _case_folders(pack, rule.pack, builtin):
        file = folder / f"{rule.id.split('/', 1)[1]}.yml"
        if file.is_file():
            data, _ = load_yaml(file, what="a pack test file")
            if isinstance(data, dict) and data.get("rule") == rule.id:
                return file, list(_file_cases(file, rule.pack, [rule.id]))
    return None, []


def _file_cases(file: Path, pack: str, rules: list[str]) -> Iterable[Case]:
    data, node = load_yaml(file, what="a pack test file")
    if not isinstance(data, dict) or not isinstance(data.get("rule"), str):
        raise ConfigError(f"{file}:1: a case file must be a mapping with a 'rule' key")
    rule = data["rule"]
    if rule not in rules:
        raise ConfigError(f"{file}:{line_of(node, ['rule'])}: rule: '{rule}' is not a rule of pack '{pack}'")
    if rule.split("/", 1)[1] != file.stem:
        raise ConfigError(f"{file}:1: holds cases for {rule}; name it {rule.split('/', 1)[1]}.yml")
    for key in set(data) - {"rule", "report", "pass"}:
        raise ConfigError(f"{file}:{line_of(node, [key])}: {key}: unknown key (expected rule, report, pass)")
    for index, case in enumerate(data.get("report") or []):
        where = f"{file}:{line_of(node, ['report', index])}"
        case = _case_mapping(case, f"{where}: report[{index}]", ("text", "findings", "options"))
        findings = case.get("findings")
        if findings is not None and (
            not isinstance(findings, list)
            or not all(isinstance(f, dict) and f and set(f) <= set(FINDING_KEYS) for f in findings)
        ):
            raise ConfigError(f"{where}: report[{index}].findings: a list of {{line, column, excerpt}}")
        findings = tuple(findings) if findings is not None else None
        yield Case(rule, "report", case["text"], where, findings, _options(case, f"{where}: report[{index}]"))
    for index, case in enumerate(data.get("pass") or []):
        where = f"{file}:{line_of(node, ['pass', index])}"
        case = _case_mapping(case, f"{where}: pass[{index}]", ("text", "options"))
        yield Case(rule, "pass", case["text"], where, options=_options(case, f"{where}: pass[{index}]"))


def _case_mapping(case: Any, where: str, keys: tuple[str, ...]) -> dict[str, Any]:
    """A case as a mapping: a bare sentence is {text: sentence}."""
    if isinstance(case, str):
        return {"text": case}
    if not isinstance(case, dict) or not isinstance(case.get("text"), str) or not set(case) <= set(keys):
        raise ConfigError(f"{where}: a case is a sentence or a mapping with 'text' (and {', '.join(keys[1:])})")
    return case


def _options(case: dict[str, Any], where: str) -> tuple[tuple[str, str], ...]:
    options = case.get("options") or {}
    if not isinstance(options, dict) or not all(isinstance(v, str) for v in options.values()):
        raise ConfigError(f"{where}.options: a mapping of option names to values")
    return tuple(sorted(options.items()))


def _refuse_contradictions(cases: list[Case]) -> None:
    reported = {(case.rule, case.text, case.options): case for case in cases if case.expect == "report"}
    for case in cases:
        other = reported.get((case.rule, case.text, case.options)) if case.expect == "pass" else None
        if other is not None:
            raise ConfigError(
                f"{case.where}: {case.rule} lists {case.text!r} under pass, and under report at {other.where}"
            )


class Runner:
    """Lints each distinct text once per pack and judges cases against the findings."""

    def __init__(self) -> None:
        self._findings: dict[tuple[str, str, tuple[Any, ...]], list[Finding]] = {}

    def findings(self, reference: str, text: str, pack_options: tuple[Any, ...] = ()) -> list[Finding]:
        """The findings of a pack on a text; pack_options as Config holds them."""
        from claimcheck.config import Config
        from claimcheck.lint import lint_text

        key = (reference, text, pack_options)
        if key not in self._findings:
            config = Config(packs=(reference,), pack_options=pack_options)
            self._findings[key] = lint_text(text, "case.txt", config=config)
        return self._findings[key]

    def judge(self, pack: PackCases, case: Case) -> str | None:
        """None when the case holds; otherwise what happened, in one line."""
        pack_options = ((pack.name, case.options),) if case.options else ()
        found = [f for f in self.findings(pack.reference, case.text, pack_options) if f.rule == case.rule]
        if case.expect == "pass":
            if not found:
                return None
            spans = ", ".join(f"{f.line}:{f.column} {f.excerpt!r}" for f in found)
            return f"{case.rule} fired on a pass case {case.text!r} at {spans}"
        if not found:
            return f"{case.rule} did not fire on {case.text!r}"
        if case.findings is None:
            return None
        got = [{key: getattr(f, key) for key in FINDING_KEYS} for f in found]
        wanted = [dict(expected) for expected in case.findings]
        trimmed = [{key: g[key] for key in w} for g, w in zip(got, wanted, strict=False)]
        if len(got) == len(wanted) and trimmed == wanted:
            return None
        return f"{case.rule} on {case.text!r}: expected findings {wanted}, got {got}"

    def run(self, pack: PackCases) -> Outcome:
        outcome = Outcome(pack)
        for rule in pack.rules:
            for expect in ("report", "pass"):
                if not any(c.rule == rule and c.expect == expect for c in pack.cases):
                    outcome.failures.append(f"{pack.name}: {rule} has no '{expect}' case")
        for case in pack.cases:
            outcome.ran += 1
            problem = self.judge(pack, case)
            if problem:
                outcome.failures.append(f"{case.where}: {problem}")
        return outcome
