"""The generated condition lexicon: the script's filter on a small ontology, and the committed file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "build_condition_lexicon.py"
LEXICON = ROOT / "rules" / "core" / "lexicons" / "condition_terms.txt"


def _ontology(folder: Path) -> Path:
    (folder / "DOreports").mkdir(parents=True)
    (folder / "src" / "ontology" / "imports").mkdir(parents=True)
    rows = ["id\tlabel\tsubClassOf"] + [
        f'"DOID:{i}"\t"{label}"\t"disease"'
        for i, label in enumerate(
            ["psoriasis", "rheumatoid arthritis", "vitamin deficiency", "CADASIL", "keratosis", "keratoses", "shock"]
        )
    ]
    (folder / "DOreports" / "HumanDO.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    owl = "".join(f"<rdfs:label>{label}</rdfs:label>\n" for label in ["nausea", "blurred vision", "definition"])
    (folder / "src" / "ontology" / "imports" / "symp_import.owl").write_text(owl, encoding="utf-8")
    return folder


def test_script_keeps_words_that_name_one_condition(tmp_path):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(_ontology(tmp_path / "do")), "abc123"],
        capture_output=True,
        text=True,
        check=True,
    )
    words = [line for line in result.stdout.splitlines() if not line.startswith("#")]
    # Single-word labels and disease-marked heads stay; generic heads ("deficiency", "vision"),
    # acronyms, plurals of listed words and stop words go.
    assert words == ["arthritis", "keratosis", "nausea", "psoriasis"]
    assert "abc123" in result.stdout


def test_committed_lexicon_names_its_source_and_licence():
    header = [line for line in LEXICON.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert any("Human Disease Ontology" in line and "CC0" in line for line in header)
    assert any("build_condition_lexicon.py" in line for line in header)
