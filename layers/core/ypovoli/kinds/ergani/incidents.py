"""ERGANI force-majeure incidents (seed 001; ΥΑ 49758/2022 art. 2 §4): when ERGANI cannot be reached,
each employer whose card events wait has an incident (``store/incidents.py``), and the notice to the
Labour Inspectorate, in Greek, that the employer must send «αμέσως» at the start and again at the end."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from ...deadlines import athens_text


def notice_el(_upstream: str, afm: str, start: datetime, end: datetime | None, affected: int,
              employees: Sequence[str] = ()) -> str:
    """The notice the employer owes the Labour Inspectorate (Επιθεώρηση Εργασίας)."""
    began = athens_text(start)   # people read Athens time, whatever zone the moment came in
    text = (f"Προς την Επιθεώρηση Εργασίας.\nΟ εργοδότης με ΑΦΜ {afm} ενημερώνει ότι από {began} δεν είναι δυνατή η "
            "διαβίβαση των στοιχείων της ψηφιακής κάρτας εργασίας στο Π.Σ. ΕΡΓΑΝΗ ΙΙ λόγω προβλήματος σύνδεσης με "
            "το ΠΣ ΕΡΓΑΝΗ (γεγονός ανωτέρας βίας που δεν οφείλεται σε υπαιτιότητα του εργοδότη, ΥΑ 49758/2022 "
            f"άρθρο 2 παρ. 4). Επηρεάζονται {affected} δηλώσεις έναρξης/λήξης"
            + (f" (εργαζόμενοι: {', '.join(sorted(employees))})" if employees else "")
            + ", που θα υποβληθούν με αιτιολογία 003 μόλις αποκατασταθεί η σύνδεση.")
    if end is not None:
        text += f"\nΗ σύνδεση αποκαταστάθηκε στις {athens_text(end)}."
    return text
