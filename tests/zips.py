"""Zipped Αίτημα Ελέγχου folders for tests: a well-formed one, and the hostile kinds."""

from __future__ import annotations

import io
import json
import stat
import zipfile
from typing import Any

FOLDERS = ("Αίτημα Ελέγχου/αίτημα.pdf", "Γενικά παραδοτέα/ΥΔ.pdf", "Λογιστικά/εγγραφές.pdf", "extrait/extrait.pdf")


def build(members: dict[str, bytes], root: str | None = None, flag_utf8: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            full = f"{root}/{name}" if root else name
            info = zipfile.ZipInfo(full)
            info.compress_type = zipfile.ZIP_DEFLATED
            if not flag_utf8:
                info.flag_bits &= ~0x800
            archive.writestr(info, data)
    return buffer.getvalue()


def dossier(register: dict[str, Any] | None = None, extra: dict[str, bytes] | None = None,
            root: str | None = "ΚΡ-12345_ΕΝΔΙΑΜΕΣΟ") -> bytes:
    members = {name: b"%PDF-1.4 test" for name in FOLDERS}
    members["Εξοπλισμός/12345.pdf"] = b"%PDF-1.4 invoice"
    members["Εξοπλισμός/TX998877.pdf"] = b"%PDF-1.4 transfer"
    if register is not None:
        members["register.json"] = json.dumps(register, ensure_ascii=False).encode()
    members.update(extra or {})
    return build(members, root)


def with_symlink() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("Λογιστικά/link")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def bomb(size: int = 64 * 1024 * 1024) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("Λογιστικά/zeros.bin", "w", force_zip64=True) as member:
        chunk = b"\0" * (1024 * 1024)
        for _ in range(size // len(chunk)):
            member.write(chunk)
    return buffer.getvalue()


def encrypted() -> bytes:
    data = bytearray(build({"Λογιστικά/secret.pdf": b"x"}))
    # Set the "encrypted" flag bit in both the local header and the central directory entry.
    local = data.find(b"PK\x03\x04")
    data[local + 6] |= 0x1
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 0x1
    return bytes(data)


def nested_twice() -> bytes:
    inner = build({"deeper.zip": build({"x.txt": b"x"})})
    return build({name: b"%PDF" for name in FOLDERS} | {"Εξοπλισμός/inner.zip": inner})
