"""ΠΣΚΕ's words where a person reads them: its kinds' names and the console's texts of its pages."""

LABELS: dict[str, tuple[str, str]] = {
    "pske_request": ("Αίτημα ελέγχου ΠΣΚΕ", "ΠΣΚΕ payment request"),
    "pske_upload": ("Αίτημα ελέγχου ΠΣΚΕ (zip)", "ΠΣΚΕ payment request (zip)"),
}
CONSOLE: dict[str, dict[str, str]] = {
    "el": {"dossier": "Αίτημα ελέγχου ΠΣΚΕ", "dossiers": "Αιτήματα ελέγχου ΠΣΚΕ",
           "upload_title": "Αποστολή φακέλου ΠΣΚΕ (zip)"},
    "en": {"dossier": "ΠΣΚΕ payment request", "dossiers": "ΠΣΚΕ payment requests",
           "upload_title": "Upload a ΠΣΚΕ folder (zip)"},
}
