"""Word (.docx), read from its zip with expat; never written.

Directives are paragraphs of their own that start with ``#`` or ``//``, as in plain text.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, TreeBuilder

from claimcheck import sources
from claimcheck.errors import InputError
from claimcheck.readers.document import Document, assemble
from claimcheck.readers.markers import Marker
from claimcheck.readers.text import ReadOptions, TextReader, url_spans
from claimcheck.sources import read_bytes, too_large
from claimcheck.text import blanked


class DocxReader(TextReader):
    format = "docx"
    never_written = ".docx files are never written; add the text in Word by hand"

    def read_path(self, path: Path) -> tuple[str, Document | None]:
        document = read_docx(path)  # footnotes live outside the text: the file is read whole
        return document.text, document

    def read(self, text: str, path: str, options: ReadOptions) -> Document:
        """The text of a .docx as read_docx makes it: one paragraph a line, every line a block."""
        prose, blocks = _read_lines(text)
        return assemble(path, self.format, text, prose, blocks, comments=self.comments(text))


# A .docx is read into text of one paragraph a line: the body's paragraphs,
# then the tables' cells row by row, then the footnotes' and endnotes' paragraphs, so a
# finding's line is the paragraph number and its column the character in the paragraph.
# Word's own footnotes resolve: a footnote reference is a zero-width Marker "docx:N" where
# its run sits (a custom mark such as "*" is the marker's text), and footnote N's first
# paragraph starts its definition. The file is opened read-only, from bytes read once.

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCX_SKIP = frozenset(
    {
        f"{_W}pPr",
        f"{_W}rPr",
        f"{_W}del",
        f"{_W}moveFrom",
        f"{_W}txbxContent",  # text boxes float outside the paragraph's text
        "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",  # a copy of the Choice
    }
)
_DOCX_NOTES = (  # relationship type suffix, element, reference element, key prefix
    ("/footnotes", f"{_W}footnote", f"{_W}footnoteReference", "docx:"),
    ("/endnotes", f"{_W}endnote", f"{_W}endnoteReference", "docx:endnote:"),
)
_LINE_BREAKS_IN_RUN = re.compile(r"[\r\n\v\f\x85\u2028\u2029]")


def read_docx(path: Path) -> Document:
    """Read a Word .docx file (never writing it); a file that is not one is an InputError."""
    data = read_bytes(path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _refuse_zip_bomb(path, archive)
            paragraphs = _docx_paragraphs(archive, _TextBudget(path))
    except InputError:
        raise  # over a limit
    except MemoryError:
        raise InputError(f"{path}: too large to read in memory, not linted") from None
    except Exception:  # zipfile, expat, KeyError and ValueError errors for a broken file
        raise InputError(f"{path}: not a valid .docx file (corrupt, or not a Word document), not linted") from None
    lines, references, definitions, offset = [], [], [], 0
    for text, notes, defines in paragraphs:
        lines.append(text)
        references.extend(Marker(key, written, offset + start, offset + end) for key, written, start, end in notes)
        if defines:
            definitions.append(Marker(defines, defines.rpartition(":")[2], offset, offset))
        offset += len(text) + 1
    text = "\n".join(lines)
    if len(text) > sources.MAX_BYTES:  # the budget counted the runs' text, not tabs or line ends
        raise too_large(path, len(text), sources.MAX_BYTES)
    prose, blocks = _read_lines(text)
    comments = DocxReader().comments(text)
    return assemble(str(path), "docx", text, prose, blocks, references, definitions, comments=comments)


# A few MB of zip can declare gigabytes.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024


def _refuse_zip_bomb(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse a .docx whose parts add up to more than MAX_UNPACKED_BYTES, before inflating any.

    The sizes are the ones the zip declares; zipfile stops reading a part at its declared size.
    """
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(
            f"{path}: unpacks to {unpacked // 1_048_576} MiB, over the {MAX_UNPACKED_BYTES // 1_048_576} MiB limit "
            "for .docx files, not linted"
        )


class _TextBudget:
    """The text a .docx may hold, spent as its runs' text is parsed: Word's text has the limit of
    every input (sources.MAX_BYTES), and a 380 KB file can hold 85 MB of it (linting that took
    294 s and 6.9 GB). Counting as the XML streams in stops reading as soon as the limit is passed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.spent = 0

    def spend(self, text: str) -> None:
        self.spent += len(text)
        if self.spent > sources.MAX_BYTES:
            raise too_large(self.path, self.spent, sources.MAX_BYTES)


def _docx_paragraphs(
    archive: zipfile.ZipFile, budget: _TextBudget
) -> list[tuple[str, list[tuple[str, str, int, int]], str | None]]:
    """(text, footnote references, the footnote key it starts or None) for each paragraph, in reading order."""
    main = _related_part(archive, "", "/officeDocument")
    if main is None:
        raise ValueError("no main document part")
    paragraphs: list[tuple[str, list[tuple[str, str, int, int]], str | None]] = []
    tables = []
    for child in _elements_under(archive, main, (f"{_W}document", f"{_W}body"), budget):
        for element in [child] if child.tag != f"{_W}sdt" else child.iterfind(f"{_W}sdtContent/*"):
            if element.tag == f"{_W}p":
                paragraphs.append((*_docx_paragraph(element), None))
            elif element.tag == f"{_W}tbl":
                tables.append(element)
    for table in tables:
        paragraphs.extend((*_docx_paragraph(p), None) for p in _docx_table_paragraphs(table))
    for suffix, note_tag, _, prefix in _DOCX_NOTES:
        part = _related_part(archive, main, suffix)
        if part is None:
            continue
        for note in _elements_under(archive, part, (f"{note_tag}s",), budget):
            if note.tag != note_tag or note.get(f"{_W}type") not in (None, "normal"):
                continue  # separators
            for index, p in enumerate(note.iter(f"{_W}p")):
                paragraphs.append((*_docx_paragraph(p), f"{prefix}{note.get(f'{_W}id')}" if index == 0 else None))
    return paragraphs


# A part's XML is read with expat, which has no cap on the length of a text node (libxml2, under
# python-docx, called a paragraph of over 10 MB corrupt) and limits how far entities may expand;
# a document type declaration, which Word never writes and XML bombs need, is refused outright.
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationships"


def _related_part(archive: zipfile.ZipFile, source: str, suffix: str) -> str | None:
    """The zip name of the part that `source` ("" for the package) relates to by a type ending in suffix."""
    folder, _, name = source.rpartition("/")
    relationships = posixpath.join(folder, "_rels", f"{name}.rels")
    if relationships not in archive.namelist():
        return None
    for relationship in _elements_under(archive, relationships, (_RELATIONSHIPS,)):
        if relationship.get("Type", "").endswith(suffix) and relationship.get("TargetMode") != "External":
            target = relationship.get("Target", "")
            return posixpath.normpath(target[1:] if target.startswith("/") else posixpath.join(folder, target))
    return None


def _elements_under(
    archive: zipfile.ZipFile, part: str, parents: tuple[str, ...], budget: _TextBudget | None = None
) -> Iterator[Element]:
    """Each element of a part whose ancestors are `parents` (root first), built whole as it closes.

    Nothing else of the part is built, and the part is parsed as it is inflated; the text of its
    runs (w:t) is spent from the budget as it comes, even from within one run.
    """
    import pyexpat

    parser = pyexpat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    wanted, open_tags = list(parents), []
    builder: TreeBuilder | None = None
    closed: list[Element] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal builder
        tag = _clark(name)
        if not open_tags and tag != parents[0]:
            raise ValueError(f"{part} is no {parents[0]}")
        if builder is None and open_tags == wanted:
            builder = TreeBuilder()
        if builder is not None:
            builder.start(tag, {_clark(key): value for key, value in attributes.items()})
        open_tags.append(tag)

    def end(name: str) -> None:
        nonlocal builder
        open_tags.pop()
        if builder is not None:
            element = builder.end(_clark(name))
            if open_tags == wanted:
                closed.append(element)
                builder = None

    def data(text: str) -> None:
        if builder is not None:
            builder.data(text)
            if budget is not None and open_tags[-1] == f"{_W}t":
                budget.spend(text)

    def refuse_doctype(*_: object) -> None:
        raise ValueError(f"{part} declares a document type")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    parser.StartDoctypeDeclHandler = refuse_doctype
    with archive.open(part) as stream:
        while chunk := stream.read(1 << 16):
            parser.Parse(chunk, False)
            yield from closed
            closed.clear()
        parser.Parse(b"", True)
    yield from closed


def _clark(name: str) -> str:
    """expat's "namespace}local" as ElementTree writes it, "{namespace}local"."""
    return "{" + name if "}" in name else name


def _docx_table_paragraphs(table: Element) -> list[Element]:
    """A table's paragraphs row by row, cell by cell; nested tables where they sit."""
    found = []
    for row in table.iterfind(f"{_W}tr"):
        for cell in row.iterfind(f"{_W}tc"):
            for child in cell:
                if child.tag == f"{_W}p":
                    found.append(child)
                elif child.tag == f"{_W}tbl":
                    found.extend(_docx_table_paragraphs(child))
    return found


def _docx_paragraph(paragraph: Element) -> tuple[str, list[tuple[str, str, int, int]]]:
    """A paragraph's text as Word shows it on one line, and its note references (key, text, start, end)."""
    parts: list[str] = []
    notes: list[tuple[str, str, int, int]] = []
    length = 0
    custom_mark: tuple[str, int] | None = None  # a reference whose mark is the next text ("*")

    def walk(element: Element) -> None:
        nonlocal length, custom_mark
        for child in element:
            tag = child.tag
            if tag in _DOCX_SKIP:
                continue
            if tag == f"{_W}t":
                written = _LINE_BREAKS_IN_RUN.sub(" ", child.text or "")
                if custom_mark and written:
                    key, start = custom_mark
                    notes.append((key, written, start, start + len(written)))
                    custom_mark = None
                parts.append(written)
                length += len(written)
            elif tag in (f"{_W}tab", f"{_W}ptab"):
                parts.append("\t")
                length += 1
            elif tag in (f"{_W}br", f"{_W}cr"):  # a line break inside the paragraph
                parts.append(" ")
                length += 1
            elif tag == f"{_W}noBreakHyphen":
                parts.append("-")
                length += 1
            elif any(tag == reference for _, _, reference, _ in _DOCX_NOTES):
                prefix = next(p for _, _, reference, p in _DOCX_NOTES if tag == reference)
                key = f"{prefix}{child.get(f'{_W}id')}"
                if child.get(f"{_W}customMarkFollows") in ("1", "true", "on"):
                    custom_mark = (key, length)
                else:
                    notes.append((key, key.rpartition(":")[2], length, length))
            else:
                walk(child)

    walk(paragraph)
    if custom_mark:  # the custom mark never came: a zero-width reference after all
        notes.append((custom_mark[0], custom_mark[0].rpartition(":")[2], custom_mark[1], custom_mark[1]))
    return "".join(parts), notes


def _read_lines(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Prose and blocks of text that has one paragraph a line (a .docx's): every line is a block."""
    prose = blanked(text, url_spans(text))
    blocks, start = [], 0
    for line in prose.split("\n"):
        if line.strip():
            blocks.append((start, start + len(line)))
        start += len(line) + 1
    return prose, blocks
