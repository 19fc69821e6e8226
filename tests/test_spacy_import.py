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


# Ctrl-C sent while MODULE is being found; then CALL. Prints whether Ctrl-C came out of the
# call, and the CHECK made when it did.
_CTRL_C_PROBE = """
import os, signal, sys

class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == MODULE:
            sys.meta_path.remove(self)
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, CtrlC())
try:
    CALL
except KeyboardInterrupt:
    print("INTERRUPTED", CHECK)
"""


def _ctrl_c_probe(module: str, call: str, check: str, times: int = 1) -> str:
    code = _CTRL_C_PROBE.replace("MODULE", repr(module)).replace("CALL", call).replace("CHECK", check)
    return code.replace(
        "os.kill(os.getpid(), signal.SIGINT)", "; ".join(["os.kill(os.getpid(), signal.SIGINT)"] * times)
    )


_IMPORT = "from claimcheck.spacy_import import import_spacy; import_spacy()"


def test_ctrl_c_during_the_import_is_raised_once_spacy_is_imported():
    # Raised inside the import, an extension module initialising could clear it (see stops.Stops).
    code = _ctrl_c_probe("thinc", _IMPORT, '"spacy" in sys.modules, callable(sys.modules["spacy"].blank)')
    assert _run(code)[-3:] == ["INTERRUPTED", "True", "True"]


def test_a_second_ctrl_c_during_the_import_exits_at_once():
    code = _ctrl_c_probe("thinc", _IMPORT, "1", times=2)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180)
    assert done.returncode == 130 and "INTERRUPTED" not in done.stdout, (done.returncode, done.stdout, done.stderr)


def test_ctrl_c_while_spacy_s_parts_of_the_pipeline_are_built_is_raised_once_they_are():
    # spacy.blank("en") imports spaCy's English language data after `import spacy` has ended.
    build = (
        "from claimcheck.config import Config; from claimcheck.pipeline import get_pipeline; "
        "get_pipeline(Config().ruleset())"
    )
    code = _ctrl_c_probe("spacy.lang.en", build, '"spacy.lang.en" in sys.modules, "spacy" in sys.modules')
    assert _run(code)[-3:] == ["INTERRUPTED", "True", "True"]
