"""The fiscal devices' words where a person reads them."""

LABELS: dict[str, tuple[str, str]] = {
    "fiscal_device": ("Φορολογικός μηχανισμός (ΦΗΜ)", "Fiscal device (ΦΗΜ)"),
}
CONSOLE: dict[str, dict[str, str]] = {"el": {}, "en": {}}
