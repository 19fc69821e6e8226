"""Regenerate rules/core/lexicons/drug_name.txt from the FDA Orange Book.

Source: the Orange Book data files (products.txt), "Approved Drug Products with Therapeutic
Equivalence Evaluations", https://www.fda.gov/drugs/drug-approvals-and-databases/orange-book-data-files,
a US government work in the public domain. It lists every approved drug product with its trade
name and active ingredients. (Biologics such as Humira or Botox are in the Purple Book instead.)

What the lexicon is for: substitution and equivalence claims name the drug a product replaces or
equals (21 CFR 101.93(g)(2)(viii)-(ix)): "nature's Ozempic", "a natural alternative to Xanax",
"got me off Lexapro". Marketers name the drugs consumers know, so a dump of all 3,000 trade names
(most of them hospital injectables nobody advertises against) would add nothing but cost. Kept:

- trade names of new-drug applications (not generics, nor an ingredient's name) that are not ordinary English words
  (lower-case entries of a word list, /usr/share/dict/words from Debian's wamerican) and that
  people write about: spaCy's English lexeme probability table (spacy-lookups-data, built from
  web text) rates them above PROBABLE;
- trade names approved after that table's text was gathered, which it cannot rate, when they are
  in RECENT: the few heavily advertised ones, each checked to be in the Orange Book;
- active ingredients whose name carries a USAN stem that marks a drug ("-statin", "-prazole",
  "-glutide": USAN_STEM), so vitamins, hormones and the body's own substances ("biotin",
  "dopamine") stay out, and that people write about too (or semaglutide and tirzepatide);
- minus NOT_DRUGS: names that are also companies, brands of other goods or common words in copy.

Usage (offline; products.txt from the Orange Book zip, the word list from `apt-get install
wamerican`):
    python scripts/build_drug_lexicon.py products.txt > rules/core/lexicons/drug_name.txt
(A second argument names another word list.)
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sys
from pathlib import Path

import spacy_lookups_data

WORD_LIST = Path("/usr/share/dict/words")  # Debian's wamerican
PROBABLE = -19.0  # log probability: about one word in 180 million
# Heavily advertised trade names approved after the probability table's text (kept where they are
# Orange Book trade names).
RECENT = frozenset(
    ["ozempic", "wegovy", "mounjaro", "zepbound", "rybelsus", "saxenda", "victoza",
     "jardiance", "farxiga", "eliquis", "xarelto", "entresto", "nurtec", "ubrelvy", "qulipta",
     "vraylar", "rexulti", "trintellix", "belsomra", "quviviq", "contrave", "qsymia", "addyi",
     "linzess", "trelegy", "breo", "anoro", "invokana", "januvia", "steglatro", "veozah"]
)  # fmt: skip
RECENT_INGREDIENTS = frozenset(["semaglutide", "tirzepatide"])
# Stems the US Adopted Names council gives drug classes (a sample of the common ones).
USAN_STEM = re.compile(
    r"(pril|sartan|olol|statin|azepam|azolam|oxetine|triptyline|pramine|prazole|tidine|mycin|cillin"
    r"|cycline|floxacin|conazole|vir|glutide|gliptin|gliflozin|formin|glitazone|profen|coxib|triptan"
    r"|setron|afil|apine|idone|codone|morphone|caine|dronate|lukast|tadine|zosin|semide|thiazide"
    r"|dipine|barbital|terol|tropium|gabalin|pentin|zodone|faxine|peridol|zepine|xaban|gatran"
    r"|pam|lam|done|trexate|tinib|parib|rubicin|platin|sone|olone|nide|amide|azine|etine|oxacin"
    r"|dronabinol|fenac|icam|tretinoin|steride|lutamide|trozole|lamine|fentanil|fentanyl|tirzepatide)$"
)
# Trade names that are also a company, another kind of product or a word copy uses otherwise.
NOT_DRUGS = frozenset(
    ["bayer", "colgate", "banan", "drax", "lipo", "nitro", "ortho", "pred", "preven", "rela", "sulla",
     "tham", "trest", "nikita", "soma", "entero", "principen", "definity", "bacteriostatic", "tobi",
     "ella", "alli", "rayos", "capex", "vanos", "tigan", "zmax", "antara", "centrax", "rufen",
     "selsun", "kuvan", "azor", "visine", "acuvue", "betadine", "neosporin", "polysporin",
     "niacinamide", "trolamine"]
)  # fmt: skip
NAME = re.compile(r"[a-z]{4,}")


def common_words(word_list: Path) -> frozenset[str]:
    """Ordinary English words: the word list's lower-case entries (its capitalised ones are
    names, brand names among them: "Prozac", "Valium")."""
    return frozenset(word for word in word_list.read_text(encoding="utf-8").split() if word.islower())


def word_probabilities() -> dict[str, float]:
    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def drug_names(products: Path, word_list: Path = WORD_LIST) -> list[str]:
    english, probability = common_words(word_list), word_probabilities()
    trade_names, ingredients, ingredient_words = set(), set(), set()
    with products.open(encoding="latin-1", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="~"):
            words = row["Trade_Name"].lower().split()
            if row["Appl_Type"] == "N" and words and NAME.fullmatch(words[0]):
                trade_names.add(words[0])
            for part in re.split(r";\s*", row["Ingredient"].lower()):
                first = part.split()[0] if part.split() else ""
                ingredient_words.add(first)
                if NAME.fullmatch(first) and USAN_STEM.search(first):
                    ingredients.add(first)
    # (A trade name that is an ingredient's name, "Dopamine Hydrochloride", passes as an
    # ingredient or not at all.)
    known = {name for name in trade_names - ingredient_words if probability.get(name, -99.0) > PROBABLE}
    known |= RECENT & trade_names
    # Ingredients too only where people write about them (or heavily advertised recent ones):
    # every word costs memory in each pattern that names the lexicon, in every process.
    ingredients = {name for name in ingredients if probability.get(name, -99.0) > PROBABLE} | (
        RECENT_INGREDIENTS & ingredients
    )
    names = (known | ingredients) - english - NOT_DRUGS
    return sorted(names)


def main() -> None:
    if len(sys.argv) not in (2, 3):
        raise SystemExit(__doc__)
    print("# Drugs by trade name and active ingredient, from the FDA Orange Book (public domain):")
    print("# generated by scripts/build_drug_lexicon.py; do not edit by hand.")
    word_list = Path(sys.argv[2]) if len(sys.argv) == 3 else WORD_LIST
    print("\n".join(drug_names(Path(sys.argv[1]), word_list)))


if __name__ == "__main__":
    main()
