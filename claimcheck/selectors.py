"""Rule selectors as users type them: `--select`, `--ignore`, `disable:`, suppression comments
and `claimcheck explain` accept the same spellings, and a misspelt one gets a suggestion."""

from __future__ import annotations

from collections.abc import Iterable

from claimcheck.packs import matches


def resolve(selector: str, rule_ids: Iterable[str]) -> str:
    """The selector as written when it matches a rule, pack or prefix; a bare rule name
    ('efficacy-claim') means the rule of that name (core's first, as `explain` reads it)."""
    rule_ids = list(rule_ids)
    if "/" in selector or any(matches(rule_id, selector) for rule_id in rule_ids):
        return selector
    if f"core/{selector}" in rule_ids:
        return f"core/{selector}"
    named = [rule_id for rule_id in rule_ids if rule_id.split("/", 1)[-1] == selector]
    return named[0] if len(named) == 1 else selector


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean X?)' for the closest choice, or '' when none is close."""
    import difflib  # only on an error: not paid by every run that loads a config

    choices = sorted(set(choices))
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:  # a misspelt bare name: compare with the rule names too
        by_name = {choice.split("/", 1)[-1]: choice for choice in choices}
        close = [by_name[n] for n in difflib.get_close_matches(word.split("/", 1)[-1], list(by_name), n=1)]
    return f" (did you mean {close[0]}?)" if close else ""


def known_selectors(rule_ids: Iterable[str]) -> set[str]:
    """Every rule id and pack name: what a suggestion can be."""
    rule_ids = list(rule_ids)
    return {*rule_ids, *(rule_id.split("/", 1)[0] for rule_id in rule_ids)}
