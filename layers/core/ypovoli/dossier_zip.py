"""Reading an uploaded zip as hostile input: caps, no traversal, no links, no encryption, no bombs.

Only the central directory is read (nothing is extracted), so a bomb is refused by the sizes it
declares and by its compression ratio before a byte of it is inflated.
"""

from __future__ import annotations

import itertools
import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO

from .findings import Finding, Severity

SOURCE = "Οδηγός ΠΣΚΕ (φάκελος zip του αιτήματος ελέγχου) · ypovoli drop-folder limits (GET /docs)"


@dataclass(frozen=True)
class ZipLimits:
    max_members: int = 2000
    max_total_uncompressed: int = 512 * 1024 * 1024
    max_ratio: int = 100
    max_nesting: int = 1


@dataclass
class ZipInspection:
    names: list[str] = field(default_factory=list)
    total_uncompressed: int = 0
    findings: list[Finding] = field(default_factory=list)


def refuse(code: str, path: str, el: str, en: str) -> Finding:
    return Finding(code=code, severity=Severity.ERROR, path=path, message_el=el, message_en=en, source=SOURCE)


def _decoded_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437")  # zipfile decoded a legacy name as cp437; Greek tools use cp737
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp737")


ARCHIVES = (".zip", ".rar", ".7z", ".tar", ".gz", ".tgz")
MAX_NESTED_BYTES = 64 * 1024 * 1024


def _nesting_ok(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ZipLimits) -> bool:
    """One level of zips inside the zip is allowed; one more is not. Formats we cannot look into
    (rar, 7z, tar) cannot be shown to stop there, so they are refused too."""
    if limits.max_nesting < 1 or not info.filename.lower().endswith(".zip") or info.file_size > MAX_NESTED_BYTES:
        return False
    with tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024) as inner:
        with archive.open(info) as member:
            shutil.copyfileobj(member, inner)
        inner.seek(0)
        try:
            with zipfile.ZipFile(inner) as nested:
                return not any(n.lower().endswith(ARCHIVES) for n in nested.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return False


def inspect_zip(stream: IO[bytes], limits: ZipLimits = ZipLimits()) -> ZipInspection:
    result = ZipInspection()
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError):
        result.findings.append(refuse("ZIP-UNREADABLE", "upload", "Το αρχείο δεν είναι έγκυρο zip.",
                                       "The file is not a valid zip archive."))
        return result
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            result.findings.append(refuse(
                "ZIP-LIMITS", "upload", f"Το zip έχει {len(infos)} αρχεία (όριο {limits.max_members}).",
                f"The zip holds {len(infos)} members (limit {limits.max_members})."))
            return result
        for info in infos:
            name = _decoded_name(info)
            path = f"upload/{name}"
            pure = PurePosixPath(name.replace("\\", "/"))
            if pure.is_absolute() or ".." in pure.parts or (pure.parts and ":" in pure.parts[0]):
                result.findings.append(refuse("ZIP-TRAVERSAL", path, f"Μη αποδεκτή διαδρομή «{name}».",
                                               f"Path «{name}» escapes the archive."))
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                result.findings.append(refuse("ZIP-SYMLINK", path, f"Συμβολικός σύνδεσμος «{name}».",
                                               f"«{name}» is a symbolic link."))
                continue
            if info.flag_bits & 0x1:
                result.findings.append(refuse("ZIP-ENCRYPTED", path, f"Κρυπτογραφημένο αρχείο «{name}».",
                                               f"«{name}» is encrypted."))
                continue
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio and info.file_size > 1024 * 1024:
                result.findings.append(refuse("ZIP-BOMB", path, f"Ύποπτος λόγος συμπίεσης για «{name}».",
                                               f"«{name}» expands {ratio:.0f}× (a zip bomb?)."))
                continue
            if name.lower().endswith(ARCHIVES) and not _nesting_ok(archive, info, limits):
                result.findings.append(refuse(
                    "ZIP-NESTED", path, f"Φωλιασμένο αρχείο «{name}» πέρα από ένα επίπεδο (ή που δεν ελέγχεται).",
                    f"Nested archive «{name}» beyond one level (or one that cannot be inspected)."))
                continue
            result.total_uncompressed += info.file_size
            result.names.append(name)
        stream.seek(0, 2)
        archive_size = max(stream.tell(), 1)
        if _overlapping(infos):
            result.findings.append(refuse("ZIP-BOMB", "upload", "Επικαλυπτόμενα αρχεία μέσα στο zip.",
                                          "Members of the zip overlap (a zip bomb?)."))
        elif result.total_uncompressed > 8 * 1024 * 1024 \
                and result.total_uncompressed / archive_size > limits.max_ratio:
            ratio = result.total_uncompressed / archive_size
            result.findings.append(refuse("ZIP-BOMB", "upload", f"Το zip αποσυμπιέζεται {ratio:.0f} φορές.",
                                          f"The archive expands {ratio:.0f}× as a whole (a zip bomb?)."))
        if result.total_uncompressed > limits.max_total_uncompressed:
            result.findings.append(refuse(
                "ZIP-LIMITS", "upload", "Το συνολικό μέγεθος μετά την αποσυμπίεση ξεπερνά το όριο.",
                f"Uncompressed total {result.total_uncompressed} bytes is over {limits.max_total_uncompressed}."))
        elif not result.findings:
            result.findings += _unreadable_members(archive, limits)
    return result


def _overlapping(infos: list[zipfile.ZipInfo]) -> bool:
    """Two members whose data share bytes (several central entries over one local entry): the
    overlapping-files bomb, small on disk and huge once every member is inflated."""
    def stored_name_length(info: zipfile.ZipInfo) -> int:
        encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
        return len(info.orig_filename.encode(encoding, "replace"))

    # A lower bound of each member's span (its local extra field and data descriptor left out): only a
    # real overlap is found, never two members that merely touch.
    spans = sorted((info.header_offset, info.header_offset + 30 + stored_name_length(info) + info.compress_size)
                   for info in infos)
    return any(nxt[0] < cur[1] for cur, nxt in itertools.pairwise(spans))


def _unreadable_members(archive: zipfile.ZipFile, limits: ZipLimits) -> list[Finding]:
    """Read every member once, as the auditor would, within the total the headers promised: a
    corrupt stream, an unsupported method or a CRC mismatch is found here (issue 18 §2), not later
    while the register is read; headers that lie about sizes cannot make it read more."""
    budget = limits.max_total_uncompressed
    for info in archive.infolist():
        if info.is_dir():
            continue
        name = _decoded_name(info)
        try:
            with archive.open(info) as member:
                while chunk := member.read(1 << 16):
                    budget -= len(chunk)
                    if budget < 0:
                        return [refuse("ZIP-BOMB", f"upload/{name}", f"Το «{name}» αποσυμπιέζεται πέρα από το όριο.",
                                       f"«{name}» inflates beyond the limit.")]
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError, ValueError) as exc:
            return [refuse("ZIP-UNREADABLE", f"upload/{name}",
                           f"Το «{name}» δεν διαβάζεται ({type(exc).__name__}).",
                           f"«{name}» cannot be read ({type(exc).__name__}: {exc}).")]
    return []
