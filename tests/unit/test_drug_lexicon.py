"""The generated drug-name lexicon: the script's filter on a small Orange Book, and the committed file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "build_drug_lexicon.py"
LEXICON = ROOT / "rules" / "core" / "lexicons" / "drug_name.txt"
HEADER = (
    "Ingredient~DF;Route~Trade_Name~Applicant~Strength~Appl_Type~Appl_No~Product_No~TE_Code~Approval_Date"
    "~RLD~RS~Type~Applicant_Full_Name"
)


def _products(folder: Path) -> Path:
    rows = [
        ("ALPRAZOLAM", "XANAX", "N"),  # a trade name people write about
        ("ALPRAZOLAM", "ALPRAZOLAM", "A"),  # a generic: its ingredient passes by its stem (-azolam)
        ("SEMAGLUTIDE", "OZEMPIC", "N"),  # too recent for the word table: listed in RECENT
        ("ZINC ACETATE", "GALZIN", "N"),  # no drug stem, and a trade name nobody writes
        ("DOPAMINE HYDROCHLORIDE", "DOPAMINE HYDROCHLORIDE", "N"),  # the body's own, no stem
        ("BENZOYL PEROXIDE", "CLEAR", "N"),  # an English word
        ("ASPIRIN", "BAYER", "N"),  # a company
    ]
    path = folder / "products.txt"
    lines = [HEADER] + [
        f"{ingredient}~TABLET;ORAL~{name}~X~1MG~{kind}~1~001~~Jan 1, 2020~No~No~RX~X" for ingredient, name, kind in rows
    ]
    path.write_text("\n".join(lines) + "\n", encoding="latin-1")
    return path


def test_script_keeps_known_trade_names_and_stemmed_ingredients(tmp_path):
    words = tmp_path / "words"
    words.write_text("clear\nProzac\nXanax\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(_products(tmp_path)), str(words)], capture_output=True, text=True, check=True
    )
    names = [line for line in result.stdout.splitlines() if not line.startswith("#")]
    assert names == ["alprazolam", "ozempic", "semaglutide", "xanax"]


def test_committed_lexicon_names_its_source():
    text = LEXICON.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any("Orange Book" in line and "public domain" in line for line in header)
    assert any("build_drug_lexicon.py" in line for line in header)
    names = set(text.split())
    assert {"ozempic", "xanax", "atorvastatin"} <= names
    assert not {"dopamine", "biotin", "clear", "bayer"} & names
