"""Zips are hostile until proven otherwise: each kind refused with its own finding, nothing extracted."""

from __future__ import annotations

import io

from ypovoli.dossier_zip import ZipLimits, inspect_zip

from tests import zips

DEFAULT = ZipLimits()


def codes(data: bytes, limits: ZipLimits = DEFAULT) -> list[str]:
    return [f.code for f in inspect_zip(io.BytesIO(data), limits).findings]


def test_a_well_formed_dossier_passes_and_lists_greek_names() -> None:
    result = inspect_zip(io.BytesIO(zips.dossier()))
    assert result.findings == [] and "ΚΡ-12345_ΕΝΔΙΑΜΕΣΟ/Αίτημα Ελέγχου/αίτημα.pdf" in result.names


def test_not_a_zip() -> None:
    assert codes(b"this is a pdf, honest") == ["ZIP-UNREADABLE"]
    assert codes(b"") == ["ZIP-UNREADABLE"]


def test_traversal_and_absolute_paths() -> None:
    assert codes(zips.build({"../../etc/cron.d/x": b"x"})) == ["ZIP-TRAVERSAL"]
    assert codes(zips.build({"/etc/passwd": b"x"})) == ["ZIP-TRAVERSAL"]
    assert codes(zips.build({"C:/Windows/x": b"x"})) == ["ZIP-TRAVERSAL"]
    assert codes(zips.build({"a\\..\\..\\x": b"x"})) == ["ZIP-TRAVERSAL"]


def test_symlinks() -> None:
    assert codes(zips.with_symlink()) == ["ZIP-SYMLINK"]


def test_encrypted_members() -> None:
    assert codes(zips.encrypted()) == ["ZIP-ENCRYPTED"]


def test_zip_bomb_is_refused_by_declared_size_and_ratio_without_inflating() -> None:
    data = zips.bomb()
    assert len(data) < 1024 * 1024  # 64 MiB of zeros in well under 1 MiB
    assert codes(data) == ["ZIP-BOMB"]


def test_over_size_totals_and_member_counts() -> None:
    data = zips.build({f"f{i}.txt": b"x" * 10 for i in range(30)})
    assert codes(data, ZipLimits(max_members=20)) == ["ZIP-LIMITS"]
    assert codes(data, ZipLimits(max_total_uncompressed=100)) == ["ZIP-LIMITS"]


def test_nested_archives_beyond_one_level() -> None:
    assert "ZIP-NESTED" in codes(zips.nested_twice())
    one_level = zips.build({"Εξοπλισμός/scans.zip": zips.build({"a.pdf": b"%PDF"})})
    assert codes(one_level) == []
    assert codes(one_level, ZipLimits(max_nesting=0)) == ["ZIP-NESTED"]


def test_legacy_greek_names_cp737_and_cp437_flagless_utf8() -> None:
    # Rewrite the name as cp737 bytes without the UTF-8 flag, as old Greek Windows tools do.
    greek = "Λογιστικά.pdf".encode("cp737")
    raw = zips.build({"Λογιστικά.pdf": b"x"}, flag_utf8=False)
    assert inspect_zip(io.BytesIO(raw)).names == ["Λογιστικά.pdf"]  # UTF-8 bytes without the flag
    legacy = bytearray(zips.build({"L" * len(greek): b"x"}, flag_utf8=False))
    for marker in (b"PK\x03\x04", b"PK\x01\x02"):
        at = legacy.find(marker)
        offset = at + (30 if marker == b"PK\x03\x04" else 46)
        legacy[offset:offset + len(greek)] = greek
    assert inspect_zip(io.BytesIO(bytes(legacy))).names == ["Λογιστικά.pdf"]
