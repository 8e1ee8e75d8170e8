"""PSKE-A9 on the folder layout (seed 003 §A9) and the CSV register an accountant exports."""

from __future__ import annotations

from ypovoli.kinds.pske.dropzone import check_structure, register_from_csv, split_zip_name

GOOD = ["Αίτημα Ελέγχου/αίτημα.pdf", "Γενικά παραδοτέα/ΥΔ.pdf", "Λογιστικά/εγγραφές.pdf", "extrait/1.pdf",
        "Εξοπλισμός/12345.pdf"]


def codes(names: list[str], zip_name: str = "ΚΡ-1_ΕΝΔΙΑΜΕΣΟ.zip", size: int = 1000) -> list[str]:
    return [f.code for f in check_structure(names, zip_name, size, "ΚΡ-1", "ΕΝΔΙΑΜΕΣΟ").findings]


def test_pske_a9_structure_good_layout_with_or_without_a_root_folder() -> None:
    assert codes(GOOD) == []
    assert codes([f"ΚΡ-1_ΕΝΔΙΑΜΕΣΟ/{n}" for n in GOOD]) == []
    # Accents and case are how people type folder names: «ΛΟΓΙΣΤΙΚΑ», «Extrait» count.
    assert codes([n.replace("Λογιστικά", "ΛΟΓΙΣΤΙΚΑ").replace("extrait", "Extrait") for n in GOOD]) == []
    check = check_structure(GOOD, "ΚΡ-1_ΕΝΔΙΑΜΕΣΟ.zip", 1000, "ΚΡ-1", "ΕΝΔΙΑΜΕΣΟ")
    assert check.category_folders == ["Εξοπλισμός"]


def test_pske_a9_structure_missing_folders_and_wrong_zip_name() -> None:
    assert codes(GOOD[:1] + GOOD[4:]) == ["PSKE-A9-STRUCTURE"] * 3
    assert codes(GOOD[:4]) == ["PSKE-A9-STRUCTURE"]  # no category folder
    assert codes(GOOD, zip_name="dossier.zip") == ["PSKE-A9-STRUCTURE"]
    assert codes(GOOD, zip_name="ΚΡ-1_ΤΕΛΙΚΟ.zip") == ["PSKE-A9-STRUCTURE"]
    assert codes([*GOOD, "σημείωμα.txt"]) == ["PSKE-A9-UNLISTED"]


def test_pske_a9_size_over_20_mb_cannot_be_emailed() -> None:
    assert codes(GOOD, size=20 * 1024 * 1024) == []
    assert codes(GOOD, size=20 * 1024 * 1024 + 1) == ["PSKE-A9-SIZE"]


def test_pske_a9_names_as_short_as_possible() -> None:
    assert codes([*GOOD, "Εξοπλισμός/" + "α" * 60 + ".pdf"]) == ["PSKE-A9-NAMES"]
    assert codes([*GOOD, "Εξοπλισμός/" + "α" * 56 + ".pdf"]) == []


def test_register_csv_with_greek_decimals_and_dates() -> None:
    text = ("record;ref;number;date;net_value;gross_value;supplier_afm;ledger_account;booking_date\n"
            "invoice;i1;12345;10/05/2018;1.734,80;2.151,15;094019245;12.00.00;10/05/2018\n"
            "expense_link;;;;;;;;\n")
    body = register_from_csv(text)
    assert body["invoices"] == [{"ref": "i1", "number": "12345", "date": "2018-05-10", "net_value": "1734.80",
                                 "gross_value": "2151.15", "supplier_afm": "094019245",
                                 "books": {"ledger_account": "12.00.00", "booking_date": "2018-05-10"}}]
    assert body["expense_links"] == [{}]


def test_zip_names_split_into_project_and_request_type() -> None:
    assert split_zip_name("ΚΡ-12345_ΕΝΔΙΑΜΕΣΟ.zip") == ("ΚΡ-12345", "ΕΝΔΙΑΜΕΣΟ")
    assert split_zip_name("noname.ZIP") == ("noname", "")
