"""spaCy is imported without its command-line interface, and the CLI still works afterwards."""

from __future__ import annotations

import subprocess
import sys

_PROBE = """
import sys
from claimcheck.lint import lint_text
found = lint_text("Our tea cures anxiety.", "x.txt")
assert any(f.rule == "core/efficacy-claim" for f in found), found
print("LINTED", *(name in sys.modules for name in ("spacy", "spacy.cli", "typer", "weasel", "httpx")))
import spacy.cli  # the real package: the placeholders are gone
print("CLI", hasattr(spacy.cli, "setup_cli"))
"""


def _run(code: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_linting_imports_spacy_but_not_its_cli_which_still_imports_after():
    out = _run(_PROBE)
    linted = out[out.index("LINTED") + 1 : out.index("LINTED") + 6]
    assert linted == ["True", "False", "False", "False", "False"], out
    assert out[out.index("CLI") + 1] == "True", out


def test_spacy_info_reaches_the_real_cli_when_called():
    code = (
        "from claimcheck.spacy_import import import_spacy\n"
        "spacy = import_spacy()\n"
        "import sys\n"
        "assert 'spacy.cli' not in sys.modules\n"
        "data = spacy.info(silent=True)\n"
        "print('VERSION', data['spacy_version'] == spacy.__version__)\n"
    )
    assert _run(code)[-1] == "True"


def test_an_earlier_import_of_spacy_is_left_alone():
    code = (
        "import spacy, sys\n"
        "from claimcheck.spacy_import import import_spacy\n"
        "print('SAME', import_spacy() is spacy and 'spacy.cli' in sys.modules)\n"
    )
    assert _run(code)[-1] == "True"


# Ctrl-C sent while thinc (one of the modules spaCy's import initialises) is being found.
_CTRL_C_DURING_IMPORT = """
import os, signal, sys

class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == "thinc":
            sys.meta_path.remove(self)
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, CtrlC())
from claimcheck.spacy_import import import_spacy
try:
    import_spacy()
except KeyboardInterrupt:
    print("INTERRUPTED", "spacy" in sys.modules, type(sys.modules["spacy"].blank).__name__)
"""


def test_ctrl_c_during_the_import_is_raised_once_spacy_is_imported():
    # Raised inside the import, an extension module initialising could clear it (see stops.Stops).
    assert _run(_CTRL_C_DURING_IMPORT)[-3:] == ["INTERRUPTED", "True", "function"]


def test_a_second_ctrl_c_during_the_import_exits_at_once():
    once = "os.kill(os.getpid(), signal.SIGINT)"
    code = _CTRL_C_DURING_IMPORT.replace(once, f"{once}; {once}")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180)
    assert done.returncode == 130 and "INTERRUPTED" not in done.stdout, (done.returncode, done.stdout, done.stderr)
