"""myDATA's words where a person reads them: its kinds' names and the console's texts of its pages."""

LABELS: dict[str, tuple[str, str]] = {
    "mydata_invoice": ("Παραστατικό myDATA", "myDATA invoice"),
}
CONSOLE: dict[str, dict[str, str]] = {
    "el": {"cancel_not_possible": "Ακυρώνεται μόνο διαβιβασμένο παραστατικό myDATA."},
    "en": {"cancel_not_possible": "Only a transmitted myDATA invoice can be cancelled."},
}
