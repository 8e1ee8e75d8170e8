"""Validation against AADE's official XSD (kept verbatim beside this module, one folder per version)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

from ..model import Invoice
from .xml import BUILD_PARSER, invoices_text

XSD_DIR = Path(__file__).parent / "xsd"


@cache
def invoices_schema(version: str = "v2.0.1") -> etree.XMLSchema:
    path = XSD_DIR / version / f"InvoicesDoc-{version}.xsd"
    if not path.is_file():
        raise ValueError(f"no InvoicesDoc XSD for version {version!r}")
    # The XSD imports its siblings by relative path; parse from the file so they resolve locally.
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(path), parser))


def schema_errors(document: bytes | etree._Element, version: str = "v2.0.1") -> list[str]:
    """Empty when the document is valid; otherwise lxml's messages (line: message)."""
    schema = invoices_schema(version)
    if isinstance(document, bytes):
        document = etree.fromstring(document, etree.XMLParser(resolve_entities=False, no_network=True))
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]  # type: ignore[attr-defined]


@cache
def documentation(version: str = "v2.0.1") -> dict[str, str]:
    """AADE's own words for each element of the InvoicesDoc XSD and its siblings (``xs:documentation``),
    by element name — the descriptions of the myDATA fields in the OpenAPI document. Where two types
    document one name differently, the first (InvoicesDoc's) is kept."""
    xs = "{http://www.w3.org/2001/XMLSchema}"
    words: dict[str, str] = {}
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    paths = sorted((XSD_DIR / version).glob("*.xsd"), key=lambda p: (not p.name.startswith("InvoicesDoc"), p.name))
    for path in paths:
        for element in etree.parse(str(path), parser).iter(f"{xs}element"):
            text = element.findtext(f"{xs}annotation/{xs}documentation")
            name = element.get("name")
            if name and text and text.strip():
                words.setdefault(name, " ".join(text.split()))
    return words


def checked_doc(invoices: list[Invoice], version: str = "v2.0.1") -> tuple[etree._Element, list[str]]:
    """Build the ``InvoicesDoc`` and check it against the XSD: the text parsed, then the tree validated.
    Measured again for issue 17 §1 (``make bench --only domain``), the two steps take
    ~15% less than one parse through a validating parser (~60 against ~75 µs for ten lines), with the
    same tree; an invalid document is reported with every error, not only the first."""
    document = etree.fromstring(invoices_text(invoices), BUILD_PARSER)
    if invoices_schema(version).validate(document):
        return document, []
    return document, schema_errors(document, version)
