"""Validation against AADE's official XSD (kept verbatim beside this module, one folder per version)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

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
