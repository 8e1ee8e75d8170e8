"""A simulator of the ERGANI II Web API (ergani-api.md §1.2–1.9), for the local stack and the tests.

Behaves like ERGANI where ypovoli depends on it:
* ``POST Authentication`` with ``Username``/``Password``/``Usertype`` → access token (3 h) and
  refresh token (7 days); wrong credentials → 401; more than ``login_limit`` logins within a minute
  → **429** (ERGANI's "proper use" limiter, which punishes a login per call).
* ``POST Authentication/Refresh`` rotates both tokens; an unknown or expired refresh → 401.
* ``POST Documents/{code}`` with ``Authorization: Bearer``: an expired access token → 401 with
  ``api-token-expired: true``; its own checks on ``WRKCardSE`` (every field present, 9-digit ΑΦΜ,
  start on the reference date, end on it or the next day until 11:00, nothing in the future, the
  same employee/type/day once per declaration, later than 15′ ± 1′ only with a reason 001–003) and
  on the ``WTOS`` documents (dates, weekdays, times, split shifts ≥ 3 h) → 400 with a Greek
  ``message``; success → ``[{id, protocol, submitDate}]``, one per card or WTO element.
* ``GET Documents/{code}?protocol=&submittedDate=`` → the declaration's PDF, Base64.
* ``POST Documents/CancelSubmittedDocument`` → leaves only (`WTOLeave`, `WTOLeaveC`), by protocol and
  date of submission; answers a bare JSON string, as ERGANI's trial environment does.
* ``WTOLeaveC`` names its original (`f_rel_protocol`, `f_rel_date`) and revokes it; `WTOOv` checks
  that overtime is announced before it starts (or its end amended before the old end) and that a
  `ΧΥΠ` finds an overtime not yet started, in ERGANI's words.
* ``POST WebServices/ExecuteService``: `EX_BASE_01` (the session's employer, `IsInCardSector`),
  `EX_BASE_02` (branches), `EX_BASE_05` (current staff, an object for one employee and an array for
  several). A card event of an employee whose card flag is off is refused «Χωρίς Ένδειξη Κάρτας
  Εργασίας.». The staff is the simulator's own (``employers``), seeded with the local stack's demo
  employer.
* Published facts of the trial environment kept: protocols like «ΑΚ - ΚΑΡ575589» (the card's form;
  other declarations get «ΑΚ - ΟΧΕ…», an assumption), `submitDate` `dd/MM/yyyy HH:mm` Athens time,
  messages with a literal ``\n`` between the branch and the reason.
* Outages: ``down`` refuses connections; ``answer_next`` scripts the next N document answers
  (``throttled`` 429, ``server_error`` 500, ``expired`` 401 with the header, ``rejected`` 400).

Its checks are written from ERGANI's manuals, never imported from ypovoli's rules: the simulator
may disagree with us, as ERGANI may. Time is the stack's clock (``ypovoli.clock``), which tests move.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import secrets
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ypovoli import clock

from .switchable_server import SwitchableServer, TrackedHandler

ACCESS_S = 10800
REFRESH = timedelta(days=7)
CARD_FIELDS = ("f_afm", "f_eponymo", "f_onoma", "f_type", "f_reference_date", "f_date", "f_aitiologia")
SCRIPTED = ("throttled", "server_error", "expired", "rejected")
#: ERGANI's messages separate the branch from the reason with a literal backslash-n (trial environment).
NL = "\\n"
LEAVES = ("WTOLeave", "WTOLeaveC")


def demo_employers() -> dict[str, dict[str, Any]]:
    """The local stack's demo employer as ERGANI would know it (its main ΚΑΔ retail, in the card regime):
    the employee of the README's examples carded, one more whose card flag is off."""
    return {"800123456": {
        "Ergodotis": {"Id": "1", "Afm": "800123456", "Eponimia": "ΥΠΟΒΟΛΗ ΔΟΚΙΜΑΣΤΙΚΗ Α.Ε.", "DiakritikosTitlos": "",
                      "Ame": "1234567890", "KadKyria": "47111000", "IsInCardSector": 1},
        "Pararthma": [{"Aa": "0", "Dieythinsi": "ΑΘΗΝΑ"}, {"Aa": "1", "Dieythinsi": "ΠΕΙΡΑΙΑΣ"}],
        "Cur": [
            {"Afm": "123456783", "Amka": "01017000000", "Eponymo": "ΠΑΠΑΔΟΠΟΥΛΟΣ", "Onoma": "ΙΩΑΝΝΗΣ",
             "PararthmaAa": "0", "WorkingCard": "ΝΑΙ (1)", "WeekHours": "40", "WeekDays": "5",
             "DialeimmaMinutes": "30", "DialeimmaEntosWrariou": "ΟΧΙ (0)", "EueliktoWrario": "30",
             "Apodoxes": "1200.00", "Dieythinsi": "ΟΔΟΣ 1"},
            {"Afm": "234567013", "Amka": "02028000000", "Eponymo": "ΓΕΩΡΓΙΟΥ", "Onoma": "ΜΑΡΙΑ",
             "PararthmaAa": "1", "WorkingCard": "ΟΧΙ (0)", "WeekHours": "20", "WeekDays": "5",
             "DialeimmaMinutes": "0", "DialeimmaEntosWrariou": "ΟΧΙ (0)", "EueliktoWrario": "0",
             "Apodoxes": "600.00", "Dieythinsi": "ΟΔΟΣ 2"},
        ],
    }}


@dataclass
class Session:
    access: str
    access_until: datetime
    refresh: str
    refresh_until: datetime
    username: str = ""


@dataclass
class ErganiState:
    username: str
    password: str
    mode: str = "up"
    #: Further ERGANI accounts (username → password) besides the first: tenants' own.
    accounts: dict[str, str] = field(default_factory=dict)
    login_limit: int = 5
    logins: list[datetime] = field(default_factory=list)
    sessions: dict[str, Session] = field(default_factory=dict)  # access → session
    refreshes: dict[str, Session] = field(default_factory=dict)  # refresh → session
    protocols: dict[str, dict[str, Any]] = field(default_factory=dict)
    script: list[str] = field(default_factory=list)
    counter: Any = field(default_factory=lambda: itertools.count(575589))
    #: What ERGANI knows of each employer (EX_BASE_01/02/05 answers); username → employer ΑΦΜ says
    #: whose data a session reads (an account with none reads ``default_employer``'s).
    employers: dict[str, dict[str, Any]] = field(default_factory=demo_employers)
    account_employers: dict[str, str] = field(default_factory=dict)
    default_employer: str = "800123456"
    #: Overtime announced: (employer, employee, date) → [(start, end)] as Athens moments.
    overtime: dict[tuple[str, str, str], list[tuple[datetime, datetime]]] = field(default_factory=dict)
    revoked: set[str] = field(default_factory=set)
    calls: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def stats(self) -> dict[str, Any]:
        return {"mode": self.mode, "logins": len(self.logins), "protocols": len(self.protocols), "calls": self.calls,
                "sessions": len(self.sessions), "scripted": len(self.script)}


class ErganiSimulator(SwitchableServer):
    thread_name = "ergani-simulator"

    def __init__(self, host: str, port: int, username: str, password: str) -> None:
        super().__init__(host, port)
        self.state = ErganiState(username=username, password=password)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/WebservicesAPI/Api"

    def configure(self, mode: str, answer_next: dict[str, Any] | None = None) -> dict[str, Any]:
        if mode not in ("up", "down"):
            raise ValueError("mode must be up or down")
        script: list[str] = []
        if answer_next:
            kind, count = str(answer_next.get("with", "")), answer_next.get("count", 1)
            if kind not in SCRIPTED:
                raise ValueError(f"answer_next.with must be one of {', '.join(SCRIPTED)}")
            if not isinstance(count, int) or not 1 <= count <= 1000:
                raise ValueError("answer_next.count is a whole number from 1 to 1000")
            script = [kind] * count
        with self.state.lock:
            self.state.mode, self.state.script = mode, script
        if mode == "down":
            self.stop()
        else:
            self.start()
        return self.state.stats()

    def expire_tokens(self) -> None:
        """Every access token ages past its 3 hours (the next call gets 401 api-token-expired)."""
        with self.state.lock:
            for session in self.state.sessions.values():
                session.access_until = clock.now() - timedelta(seconds=1)

    # ---- the API ----------------------------------------------------------------------------------

    def login(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        now = clock.now()
        with self.state.lock:
            self.state.logins = [t for t in self.state.logins if now - t < timedelta(minutes=1)]
            if len(self.state.logins) >= self.state.login_limit:
                return 429, {"message": "Too Many Requests"}
            self.state.logins.append(now)
            accounts = {self.state.username: self.state.password, **self.state.accounts}
            if body.get("Username") not in accounts or body.get("Password") != accounts[str(body.get("Username"))]:
                return 401, {"message": "Λάθος στοιχεία εισόδου"}
            return 200, self._session(now, str(body.get("Username")))

    def refresh(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        now = clock.now()
        with self.state.lock:
            session = self.state.refreshes.pop(str(body.get("RefreshToken", "")), None)
            if session is None or session.refresh_until < now:
                return 401, {"message": "Invalid refresh token"}
            self.state.sessions.pop(session.access, None)
            return 200, self._session(now, session.username)

    def _session(self, now: datetime, username: str) -> dict[str, Any]:
        session = Session(secrets.token_urlsafe(24), now + timedelta(seconds=ACCESS_S), secrets.token_urlsafe(24),
                          now + REFRESH, username)
        self.state.sessions[session.access] = session
        self.state.refreshes[session.refresh] = session
        return {"accessToken": session.access, "accessTokenExpired": ACCESS_S, "refreshToken": session.refresh,
                "refreshTokenExpired": session.refresh_until.isoformat()}

    def authorised(self, header: str) -> str:
        """ok | expired | denied"""
        token = header.removeprefix("Bearer ").strip()
        with self.state.lock:
            session = self.state.sessions.get(token)
        if session is None:
            return "denied"
        return "ok" if session.access_until > clock.now() else "expired"

    def employer_of(self, header: str) -> str:
        token = header.removeprefix("Bearer ").strip()
        with self.state.lock:
            session = self.state.sessions.get(token)
            username = session.username if session else ""
            return self.state.account_employers.get(username, self.state.default_employer)

    def execute(self, employer: str, body: Any) -> tuple[int, Any]:
        """ExecuteService: the session's employer's data; an object for one record, an array for more."""
        service = str(body.get("ServiceCode", "")) if isinstance(body, dict) else ""
        with self.state.lock:
            known = self.state.employers.get(employer)
        if known is None:
            return 400, {"message": "Service Code is not authenticated to specific User"}
        if service == "EX_BASE_01":
            return 200, {"Ergodotis": known["Ergodotis"]}
        if service == "EX_BASE_02":
            return 200, {"Pararthmata": {"Pararthma": known["Pararthma"]}}
        if service == "EX_BASE_05":
            staff = known["Cur"]
            wanted = {str(p.get("ParameterValue")) for p in body.get("Parameters") or []
                      if isinstance(p, dict) and str(p.get("ParameterName", "")).lower() == "afm"}
            staff = [c for c in staff if not wanted or c["Afm"] in wanted]
            return 200, {"CurrentStatus": {"Cur": staff[0] if len(staff) == 1 else staff}}
        return 400, {"message": "Service Code is not authenticated to specific User"}

    def cancel(self, body: Any) -> tuple[int, Any]:
        """CancelSubmittedDocument: leaves only, by protocol and date of submission."""
        if not isinstance(body, dict):
            return 400, {"message": "CancelSubmittedDocument not valid"}
        protocol, kind = str(body.get("Protocol", "")), str(body.get("TypeOfDocument", ""))
        with self.state.lock:
            found = self.state.protocols.get(protocol)
            if found is None or found["code"] != kind:
                return 400, {"message": "Δεν βρέθηκε η υποβολή."}
            if kind not in LEAVES:
                return 400, {"message": "Η ακύρωση επιτρέπεται μόνο για δηλώσεις αδειών."}
            day = datetime.strptime(found["submitDate"], "%d/%m/%Y %H:%M").strftime("%Y%m%d")
            if str(body.get("SubmittedDate", "")) != day:
                return 400, {"message": "Η ημερομηνία υποβολής δεν αντιστοιχεί στο πρωτόκολλο."}
            if protocol in self.state.revoked:
                return 400, {"message": "Η δήλωση έχει ήδη ανακληθεί."}
            self.state.revoked.add(protocol)
        return 200, "Η ακύρωση ολοκληρώθηκε επιτυχώς"

    def submit(self, code: str, body: bytes, employer: str = "") -> tuple[int, Any, dict[str, str]]:
        with self.state.lock:
            self.state.calls += 1
            scripted = self.state.script.pop(0) if self.state.script else None
        if scripted == "throttled":
            return 429, {"message": "Too Many Requests"}, {}
        if scripted == "server_error":
            return 500, {"message": "Internal Server Error"}, {}
        if scripted == "expired":
            return 401, {"message": "Unauthorized"}, {"api-token-expired": "true"}
        if scripted == "rejected":
            return 400, {"message": f"Για το Παράρτημα: 0{NL}Το ΑΦΜ δεν αντιστοιχεί στον συνδεδεμένο εργοδότη."}, {}
        try:
            data = json.loads(body)
        except ValueError:
            return 400, {"message": "Μη έγκυρο JSON"}, {}
        now = clock.now()
        with self.state.lock:
            flags = {c["Afm"]: str(c.get("WorkingCard", "")).endswith("(1)")
                     for known in self.state.employers.values() for c in known["Cur"]}
        problem, parts = (card_problem(data, now, flags) if code == "WRKCardSE" else wto_problem(code, data))
        if not problem and code == "WTOLeaveC":
            problem = self._correction(data)
        if not problem and code in ("WTOOv", "WTOOvA"):
            problem = self._overtime(code, data, now, employer)
        if problem:
            return 400, {"message": problem}, {}
        answers = []
        for _ in range(parts):
            number = next(self.state.counter)
            protocol = f"ΑΚ - {'ΚΑΡ' if code == 'WRKCardSE' else 'ΟΧΕ'}{number}"
            submit_date = now.astimezone(clock.ATHENS).strftime("%d/%m/%Y %H:%M")
            with self.state.lock:
                self.state.protocols[protocol] = {"code": code, "submitDate": submit_date, "body": data}
            answers.append({"id": str(number), "protocol": protocol, "submitDate": submit_date})
        return 200, answers, {}

    def _correction(self, data: dict[str, Any]) -> str:
        for wto in data["WTOS"]["WTO"]:
            protocol, day = str(wto.get("f_rel_protocol", "")), str(wto.get("f_rel_date", ""))
            with self.state.lock:
                found = self.state.protocols.get(protocol)
                if found is None or found["code"] not in LEAVES or found["submitDate"][:10] != day \
                        or protocol in self.state.revoked:
                    return (f"Για το Παράρτημα: {wto.get('f_aa_pararthmatos', '')}{NL}Δεν βρέθηκε αρχική δήλωση "
                            f"αδειών με αριθμό πρωτοκόλλου {protocol} και ημερομηνία {day}.")
                self.state.revoked.add(protocol)   # «ανακαλείται η αρχική δήλωση»
        return ""

    def _overtime(self, code: str, data: dict[str, Any], now: datetime, employer: str) -> str:
        """ERGANI's overtime checks (Extended Manual §4.1.6–4.1.7), on its own record of what was announced."""
        for wto in data["WTOS"]["WTO"]:
            prefix = f"Για το Παράρτημα: {wto.get('f_aa_pararthmatos', '')}{NL}"
            for entry in wto.get("Ergazomenoi", {}).get("ErgazomenoiWTO", []):
                afm, day_text = str(entry.get("f_afm", "")), str(entry.get("f_date", ""))
                try:
                    day = datetime.strptime(day_text, "%d/%m/%Y").date()
                except ValueError:
                    return prefix + "Μη έγκυρη ημερομηνία."
                items = entry.get("ErgazomenosAnalytics", {}).get("ErgazomenosWTOAnalytics", [])
                key = (employer, afm, day_text)
                spans: list[tuple[datetime, datetime]] = []
                for item in items:
                    kind = item.get("f_type")
                    if kind not in ("ΥΠ", "ΧΥΠ"):
                        return prefix + f"Μη έγκυρος τύπος υπερωρίας ({kind})."
                    if kind == "ΥΠ":
                        try:
                            a = datetime.combine(day, datetime.strptime(str(item["f_from"]), "%H:%M").time(),
                                                 tzinfo=clock.ATHENS)
                            b = datetime.combine(day, datetime.strptime(str(item["f_to"]), "%H:%M").time(),
                                                 tzinfo=clock.ATHENS)
                        except (KeyError, ValueError):
                            return prefix + "Η υπερωρία δηλώνεται με ώρα έναρξης και λήξης."
                        spans.append((a, b if b > a else b + timedelta(days=1)))
                with self.state.lock:
                    before = self.state.overtime.get(key, [])
                if not spans:   # ΧΥΠ: an overtime not yet started must exist
                    if not before or (code == "WTOOv" and before[0][0] <= now):
                        return prefix + f"ΥΠΟΧΡΕΩΤΙΚΑ (ΔΕΝ ΒΡΕΘΗΚΕ ΥΠΕΡΩΡΙΑ ΓΙΑ ΑΚΥΡΩΣΗ ({day_text})) ΓΙΑ ΤΟ ΑΦΜ: {afm}"
                elif code == "WTOOv":
                    amending = bool(before) and before[0][0] == spans[0][0]
                    if amending and now >= max(b for _, b in before):
                        return prefix + "Η ώρα λήξης τροποποιείται πριν από την ώρα λήξης της προηγούμενης δήλωσης."
                    if not amending and spans[0][0] <= now:
                        return prefix + "Η υπερωρία αναγγέλλεται πριν από την έναρξή της."
                elif spans[0][0] > now:
                    return prefix + "Η απολογιστική δήλωση αφορά υπερωρία που πραγματοποιήθηκε."
                with self.state.lock:
                    self.state.overtime[key] = sorted(spans)
        return ""

    def pdf(self, code: str, protocol: str) -> str | None:
        with self.state.lock:
            found = self.state.protocols.get(protocol)
        if found is None or found["code"] != code:
            return None
        text = f"%PDF-1.4\n% ERGANI simulator: {code} {protocol} {found['submitDate']}\n%%EOF\n"
        return base64.b64encode(text.encode()).decode()


# ---- ERGANI's checks, from its manuals (ergani-api.md §1.4–1.5) ---------------------------------------

_AFM = re.compile(r"^[0-9]{9}$")
_HHMM = re.compile(r"^(([01][0-9]|2[0-3]):[0-5][0-9])?$")
_GREEK_DATE = re.compile(r"^((0[1-9]|[12][0-9]|3[01])/(0[1-9]|1[0-2])/[0-9]{4})?$")


def card_problem(data: Any, now: datetime, flags: dict[str, bool] | None = None) -> tuple[str, int]:
    try:
        cards = data["Cards"]["Card"]
    except (KeyError, TypeError):
        return "WRKCardSE not valid", 0
    for card in cards:
        branch = card.get("f_aa", "")
        prefix = f"Για το Παράρτημα: {branch}{NL}"
        if not _AFM.match(str(card.get("f_afm_ergodoti", ""))):
            return prefix + "Μη έγκυρο ΑΦΜ εργοδότη.", 0
        seen: set[tuple[str, str, str]] = set()
        for detail in card.get("Details", {}).get("CardDetails", []):
            missing = [name for name in CARD_FIELDS if name not in detail]
            if missing:
                return prefix + f"Λείπουν τα πεδία: {', '.join(missing)}", 0
            if not _AFM.match(str(detail["f_afm"])):
                return prefix + "Μη έγκυρο ΑΦΜ εργαζομένου.", 0
            if (flags or {}).get(str(detail["f_afm"])) is False:
                return prefix + f"ΑΦΜ {detail['f_afm']}: Χωρίς Ένδειξη Κάρτας Εργασίας.", 0
            try:
                when = datetime.fromisoformat(str(detail["f_date"]))
                reference = date.fromisoformat(str(detail["f_reference_date"]))
            except ValueError:
                return prefix + "Μη έγκυρη ημερομηνία.", 0
            if when.tzinfo is None:
                when = when.replace(tzinfo=clock.ATHENS)
            local = when.astimezone(clock.ATHENS)
            kind = str(detail["f_type"])
            if kind == "0" and local.date() != reference:
                return prefix + "Η ημερομηνία έναρξης δεν συμφωνεί με την ημερομηνία αναφοράς.", 0
            if kind == "1" and local.date() != reference and not (
                    local.date() == reference + timedelta(days=1) and (local.hour, local.minute) <= (11, 0)):
                return prefix + "Η ημερομηνία λήξης δεν συμφωνεί με την ημερομηνία αναφοράς.", 0
            if kind not in ("0", "1"):
                return prefix + "Μη έγκυρος τύπος κίνησης.", 0
            if when > now + timedelta(seconds=5):
                return prefix + "Η ημερομηνία κίνησης είναι μεταγενέστερη της υποβολής.", 0
            key = (str(detail["f_afm"]), kind, str(reference))
            if key in seen:
                return prefix + "Ο εργαζόμενος εμφανίζεται περισσότερες από μία φορές με τον ίδιο τύπο.", 0
            seen.add(key)
            late = now - when > timedelta(minutes=16)   # 15′ ± 1′
            reason = detail.get("f_aitiologia") or ""
            if late and reason not in ("001", "002", "003"):
                return prefix + "Εκπρόθεσμη υποβολή: απαιτείται αιτιολογία καθυστέρησης.", 0
    return "", len(cards)


def wto_problem(code: str, data: Any) -> tuple[str, int]:
    try:
        wtos = data["WTOS"]["WTO"]
    except (KeyError, TypeError):
        return f"{code} not valid", 0
    for wto in wtos:
        prefix = f"Για το Παράρτημα: {wto.get('f_aa_pararthmatos', '')}{NL}"
        for name in ("f_from_date", "f_to_date", "f_rel_date"):
            if not _GREEK_DATE.match(str(wto.get(name, ""))):
                return prefix + f"Μη έγκυρη ημερομηνία ({name}).", 0
        for entry in wto.get("Ergazomenoi", {}).get("ErgazomenoiWTO", []):
            if not _AFM.match(str(entry.get("f_afm", ""))):
                return prefix + "Μη έγκυρο ΑΦΜ εργαζομένου.", 0
            if code == "WTOWeek" and str(entry.get("f_day", "")) not in "0123456":
                return prefix + "Μη έγκυρη ημέρα εβδομάδας.", 0
            spans = []
            for item in entry.get("ErgazomenosAnalytics", {}).get("ErgazomenosWTOAnalytics", []):
                start, end = str(item.get("f_from", "")), str(item.get("f_to", ""))
                if not (_HHMM.match(start) and _HHMM.match(end)):
                    return prefix + "Μη έγκυρη ώρα.", 0
                if start and end and item.get("f_type") in ("ΕΡΓ", "ΤΗΛ"):
                    a = int(start[:2]) * 60 + int(start[3:])
                    b = int(end[:2]) * 60 + int(end[3:])
                    spans.append((a, b if b > a else b + 1440))
            spans.sort()
            for (_, first_end), (second_start, _) in itertools.pairwise(spans):
                if second_start - first_end < 180:
                    return prefix + "Το δεύτερο διάστημα εργασίας πρέπει να απέχει τουλάχιστον 3 ώρες.", 0
    return "", len(wtos)


class _Handler(TrackedHandler):
    simulator: ErganiSimulator

    def _reply(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(data, ensure_ascii=False).encode() if not isinstance(data, bytes) else data
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _path(self) -> str:
        path = urlsplit(self.path).path
        return re.sub(r"(?i)^/webservicesapi/api", "", path)

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = self._path()
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        if path.lower() == "/authentication":
            self._reply(*self.simulator.login(body if isinstance(body, dict) else {}))
            return
        if path.lower() == "/authentication/refresh":
            self._reply(*self.simulator.refresh(body if isinstance(body, dict) else {}))
            return
        match = re.fullmatch(r"(?i)/documents/(\w+)", path)
        service = path.lower() == "/webservices/executeservice"
        if not match and not service:
            self._reply(404, {"message": "File or directory not found."})
            return
        authorization = self.headers.get("Authorization", "")
        verdict = self.simulator.authorised(authorization)
        if verdict != "ok":
            self._reply(401, {"message": "Unauthorized"}, {"api-token-expired": "true"} if verdict == "expired" else {})
            return
        if service:
            self._reply(*self.simulator.execute(self.simulator.employer_of(authorization), body))
            return
        assert match is not None
        if match.group(1).lower() == "cancelsubmitteddocument":
            self._reply(*self.simulator.cancel(body))
            return
        status, data, headers = self.simulator.submit(match.group(1), raw, self.simulator.employer_of(authorization))
        self._reply(status, data, headers)

    def do_GET(self) -> None:
        match = re.fullmatch(r"(?i)/documents/(\w+)", self._path())
        if not match:
            self._reply(404, {"message": "File or directory not found."})
            return
        if self.simulator.authorised(self.headers.get("Authorization", "")) != "ok":
            self._reply(401, {"message": "Unauthorized"})
            return
        query = parse_qs(urlsplit(self.path).query)
        encoded = self.simulator.pdf(match.group(1), (query.get("protocol") or [""])[0])
        if encoded is None:
            self._reply(400, {"message": "Δεν βρέθηκε η υποβολή."})
            return
        self._reply(200, json.dumps(encoded).encode())


ErganiSimulator.handler = _Handler
