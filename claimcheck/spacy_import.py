"""Import spaCy without its command-line interface.

`import spacy` runs `from .cli.info import info` for the convenience `spacy.info()`, and
`spacy.cli` imports every CLI command: typer, weasel, rich, httpx, requests, jinja2, pygments.
claimcheck uses none of it, yet every process paid for it: about 17 MiB of memory (a tenth
of a lint process, and the difference between a scan worker under 150 MiB or over) and a
fifth of spaCy's import time.

So spaCy is imported with a placeholder standing in for `spacy.cli.info` and its package for
the length of that one import. The placeholders are taken out of `sys.modules` straight
after, so a later `import spacy.cli` (a user's program, spaCy's own `python -m spacy`) imports
the real package, and `spacy.info()` imports it when called.

Ctrl-C and SIGTERM wait for the import to end (see stops.Stops: an extension module initialising
could clear the KeyboardInterrupt, and the run went on as if no Ctrl-C had come).
"""

from __future__ import annotations

import sys
import types
from typing import Any

from claimcheck.stops import Stops

_PLACEHOLDERS = ("spacy.cli", "spacy.cli.info")


def import_spacy() -> types.ModuleType:
    """The spacy module, imported without spacy.cli when no one has imported spaCy yet."""
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    placeholders = {name: types.ModuleType(name) for name in _PLACEHOLDERS}
    placeholders["spacy.cli"].__path__ = []  # a package, so that "spacy.cli.info" resolves
    placeholders["spacy.cli.info"].info = info  # type: ignore[attr-defined]
    for name, module in placeholders.items():
        sys.modules.setdefault(name, module)
    try:
        with Stops().deferred():  # a Ctrl-C during the import could be lost (see Stops)
            import spacy
    finally:
        for name, module in placeholders.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    return spacy


def info(*args: Any, **kwargs: Any) -> Any:
    """`spacy.info`, imported from the real spacy.cli when it is called."""
    from spacy.cli.info import info as real_info

    return real_info(*args, **kwargs)
