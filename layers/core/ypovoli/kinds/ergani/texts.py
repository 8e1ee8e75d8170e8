"""ERGANI's words where a person reads them: its kinds' names and the console's texts of its pages."""

LABELS: dict[str, tuple[str, str]] = {
    "ergani_workcard": ("Κάρτα εργασίας ΕΡΓΑΝΗ", "ERGANI work card"),
    "ergani_wto_week": ("Εβδομαδιαίο ωράριο ΕΡΓΑΝΗ", "ERGANI weekly schedule"),
    "ergani_wto_daily": ("Ημερήσιο ωράριο ΕΡΓΑΝΗ", "ERGANI daily schedule"),
    "ergani_leave": ("Άδεια ΕΡΓΑΝΗ", "ERGANI leave"),
    "ergani_overtime": ("Υπερωρία ΕΡΓΑΝΗ", "ERGANI overtime"),
    "ergani_overtime_retro": ("Υπερωρία ΕΡΓΑΝΗ (απολογιστική)", "ERGANI overtime (retrospective)"),
}
CONSOLE: dict[str, dict[str, str]] = {
    "el": {"incidents": "Περιστατικά ανωτέρας βίας (ΕΡΓΑΝΗ) και ειδοποίηση προς την Επιθεώρηση Εργασίας"},
    "en": {"incidents": "Force-majeure incidents (ERGANI) and the notice to the Labour Inspectorate"},
}
