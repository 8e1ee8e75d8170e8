"""Zip inflation bounded (issue 18 §7): an archive that expands too much as a whole, and one whose
members overlap, are refused before anything is read from them."""

from __future__ import annotations

import io
import struct
import zipfile

from ypovoli.dossier_zip import inspect_zip


def many_small_zero_files(count: int = 12, size: int = 1024 * 1024) -> bytes:
    """Each member alone looks harmless (1 MiB, at the per-member threshold); together they inflate
    ~1,000× from a few kilobytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(count):
            archive.writestr(f"Λογιστικά/zeros-{n}.pdf", b"\0" * size)
    return buffer.getvalue()


def overlapping() -> bytes:
    """Two central-directory entries pointing at the same local entry (the overlapping-files bomb)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.pdf", b"%PDF" * 1000)
        archive.writestr("b.pdf", b"%PDF" * 1000)
    data = bytearray(buffer.getvalue())
    second = data.find(b"PK\x01\x02", data.find(b"PK\x01\x02") + 4)
    struct.pack_into("<I", data, second + 42, 0)  # b.pdf's local header offset → a.pdf's
    return bytes(data)


def codes(data: bytes) -> list[str]:
    return [f.code for f in inspect_zip(io.BytesIO(data)).findings]


def test_an_archive_that_expands_too_much_as_a_whole_is_a_bomb() -> None:
    assert codes(many_small_zero_files()) == ["ZIP-BOMB"]


def test_overlapping_members_are_a_bomb() -> None:
    assert codes(overlapping()) == ["ZIP-BOMB"]


def test_an_ordinary_archive_passes() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(20):
            archive.writestr(f"Λογιστικά/{n}.pdf", bytes(range(256)) * 64)
    assert codes(buffer.getvalue()) == []
