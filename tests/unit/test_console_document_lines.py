"""Issue 33 §2: a submission page leads with the document — a card's employee, event and time in Athens
time; a schedule's or leave's employees and period; a correction names the protocol it corrects."""

from __future__ import annotations

import datetime as dt

from ypovoli.clock import ATHENS
from ypovoli.services.console import document_lines

from tests.ergani_factory import card_event, employee, interval, workcard, wtos


def test_a_card_shows_who_what_and_when_in_athens_time() -> None:
    moment = dt.datetime(2026, 12, 10, 7, 5, tzinfo=dt.UTC)
    [(el, en, value)] = document_lines("ergani_workcard", workcard(card_event("start", moment)))
    assert el.startswith("Έναρξη") and en.startswith("Start")
    assert "ΠΑΠΑΔΟΠΟΥΛΟΣ ΙΩΑΝΝΗΣ (123456783)" in value and "10/12/2026 09:05" in value
    assert moment.astimezone(ATHENS).isoformat() not in value


def test_a_leave_correction_shows_the_protocol_it_corrects_and_the_employee() -> None:
    data = wtos(employee(interval("ΑΔΚΑΝ", f_year="2026", f_req_days="020"), date="10/12/2026"),
                start="10/12/2026", end="10/12/2026")
    data["WTOS"]["WTO"][0].update(f_rel_protocol="ΑΚ - ΟΧΕ1", f_rel_date="09/12/2026")
    lines = document_lines("ergani_leave", data)
    assert ("Διορθώνει το πρωτόκολλο", "Corrects protocol", "ΑΚ - ΟΧΕ1 (09/12/2026)") in lines
    assert any("ΠΑΠΑΔΟΠΟΥΛΟΣ ΙΩΑΝΝΗΣ (123456783) · 10/12/2026 · ΑΔΚΑΝ" in v for _, _, v in lines)
    assert document_lines("mydata_invoice", "not a document") == []


def test_statuses_codes_and_outages_read_as_words_in_the_page_s_language() -> None:
    """Issue 33 §7: the overview's counts and the findings say what they mean, the code beside."""
    from ypovoli.services.console import code_name, outage_words, state_name

    assert state_name("overdue", "en") == "overdue" and state_name("overdue", "el") == "εκπρόθεσμο"
    assert state_name("ERGANI-DEVIATION", "en") == "Card times deviate from the declared schedule"
    assert code_name("ERGANI-DEVIATION", "el").startswith("Απόκλιση κάρτας")
    assert code_name("NO-SUCH-CODE", "en") == "NO-SUCH-CODE"
    raw = "connect failed: HTTPConnection(host='127.0.0.1', port=1): Failed to establish a new connection"
    assert outage_words(raw, "en") == "the service did not accept connections"
    assert outage_words("HTTP 503: busy", "el") == "η υπηρεσία απάντησε με σφάλμα διακομιστή"


def test_amounts_read_in_the_page_s_number_format() -> None:
    """Issue 33 §7: «1.234,50 €» on a Greek page, «€1,234.50» on an English one."""
    from ypovoli.services.console import money

    assert money("1234.5", "el") == "1.234,50 €" and money("1234.5", "en") == "€1,234.50"
    assert money(None, "en") == "—" and money("0", "el") == "0,00 €"
