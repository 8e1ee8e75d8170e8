"""The production ERGANI II connector (ergani-api.md §1.2–1.9), over urllib3, with a token broker.

Proper use (Annex II of the interoperability guide): log in once per credential set, reuse the
access token (3 h), refresh before it expires and on a 401 carrying ``api-token-expired``, log in
again only when the refresh is refused. The token pair is shared through :class:`TokenStore`, and
only the holder of its lease logs in or refreshes. Answers: 200 ``[{id, protocol, submitDate}]`` →
success; 400 with ERGANI's Greek message → rejected; 429, connect failures → transient; 5xx and
timeouts after sending → ambiguous (ERGANI cannot be asked what it holds).
"""

from __future__ import annotations

import base64
import copy
import json
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import urllib3

from ... import clock
from ...connectors.base import Outcome, SendResult
from ...connectors.http import request_once
from ...settings import Settings
from ...store.secrets import Credentials
from .tokens import TokenPair, TokenStore, account_of

UPSTREAM = "ergani"


class LoginFailed(Exception):
    def __init__(self, outcome: Outcome, message: str) -> None:
        super().__init__(message)
        self.outcome = outcome


class ErganiConnector:
    def __init__(self, base_url: str, username: str, password: str, usertype: str, tokens: TokenStore,
                 connect_timeout: float = 3.0, read_timeout: float = 30.0,
                 pool: urllib3.PoolManager | None = None, now: Callable[[], datetime] = clock.now) -> None:
        self.base_url = base_url.rstrip("/")
        self._credentials = {"Username": username, "Password": password, "Usertype": usertype}
        self.account = account_of(username or "anonymous")
        self.tokens = tokens
        self._timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
        self._pool = pool or urllib3.PoolManager(num_pools=2, maxsize=8)
        self._now = now
        self._owner = uuid.uuid4().hex

    def with_credentials(self, credentials: Credentials) -> ErganiConnector:
        """The same pool and token store under another ERGANI account (a tenant's own): its own
        token pair, since the account is part of the pair's key."""
        other = copy.copy(self)
        other._credentials = {**self._credentials, "Username": credentials.user, "Password": credentials.key}
        other.account = account_of(credentials.user)
        return other

    @classmethod
    def from_settings(cls, settings: Settings) -> ErganiConnector:
        return cls(settings.ergani_url, settings.ergani_username, settings.ergani_password, settings.ergani_usertype,
                   TokenStore(settings.index_table), settings.ergani_connect_timeout_s, settings.ergani_read_timeout_s)

    # ---- submissions ---------------------------------------------------------------------------------

    def submit(self, code: str, body: bytes) -> SendResult:
        """``POST Documents/{code}``; a 401 for an expired token is refreshed and retried once."""
        return self._post(f"Documents/{code}", body, classify)

    def cancel(self, code: str, protocol: str, submitted: date) -> SendResult:
        """``POST Documents/CancelSubmittedDocument`` — leaves only (`WTOLeave`, `WTOLeaveC`). ERGANI
        answers 200 with a bare JSON string (or ``{"message"}``), 400 with its reason."""
        body = json.dumps({"TypeOfDocument": code, "Protocol": protocol,
                           "SubmittedDate": submitted.strftime("%Y%m%d")}, ensure_ascii=False).encode()
        return self._post("Documents/CancelSubmittedDocument", body, classify_message)

    def execute(self, service: str, parameters: dict[str, str] | None = None) -> SendResult:
        """``POST WebServices/ExecuteService`` (EX_BASE_01 employer, 02 branches, 05 current staff):
        the answer's JSON in ``fields["data"]``."""
        body = json.dumps({"ServiceCode": service, "Parameters": [
            {"ParameterName": k, "ParameterValue": v} for k, v in (parameters or {}).items()]}).encode()
        return self._post("WebServices/ExecuteService", body, classify_data)

    def _post(self, path: str, body: bytes, read: Callable[[int, bytes], SendResult]) -> SendResult:
        for attempt in range(2):
            try:
                token = self.token()
            except LoginFailed as exc:
                return SendResult(exc.outcome, str(exc))
            response, failed = request_once(self._pool, "POST", f"{self.base_url}/{path}", body=body,
                                            headers={"Content-Type": "application/json",
                                                     "Authorization": f"Bearer {token}"}, timeout=self._timeout)
            if response is None:
                assert failed is not None
                return failed
            if response.status == 401 and attempt == 0:
                self.tokens.expire_access(UPSTREAM, self.account, token, self._now())
                continue
            return read(response.status, response.data)
        return SendResult(Outcome.CONFIGURATION, "ERGANI refused a freshly refreshed token", http_status=401)

    def document_pdf(self, code: str, protocol: str, submitted: datetime) -> bytes | None:
        """The official PDF of a submitted declaration (Base64 in the answer), or None."""
        try:
            token = self.token()
            response = self._pool.request(
                "GET", f"{self.base_url}/Documents/{code}",
                fields={"protocol": protocol, "submittedDate": submitted.strftime("%Y%m%d")},
                headers={"Authorization": f"Bearer {token}"}, timeout=self._timeout, retries=False)
        except (LoginFailed, urllib3.exceptions.HTTPError):
            return None
        if response.status != 200:
            return None
        raw = response.data.strip()
        try:
            text = json.loads(raw) if raw.startswith(b'"') else raw.decode()
            return base64.b64decode(str(text), validate=True)
        except (ValueError, UnicodeDecodeError):
            return None

    # ---- the token broker ---------------------------------------------------------------------------

    def token(self, wait_s: float = 8.0) -> str:
        """A valid access token, from the shared store; logs in or refreshes only under the lease."""
        deadline = time.monotonic() + wait_s
        while True:
            now = self._now()
            pair = self.tokens.get(UPSTREAM, self.account)
            if pair is not None and pair.fresh(now):
                return pair.access
            if self.tokens.lease(UPSTREAM, self.account, self._owner, now):
                try:
                    renewed = self._renew(pair, now)
                except BaseException:
                    self.tokens.release(UPSTREAM, self.account, self._owner)
                    raise
                self.tokens.put(UPSTREAM, self.account, renewed)
                return renewed.access
            if time.monotonic() > deadline:
                if pair is not None and now < pair.access_expires_at:
                    return pair.access  # still valid, only inside the refresh margin
                raise LoginFailed(Outcome.TRANSIENT, "another worker is renewing the ERGANI session")
            time.sleep(0.2)

    def _renew(self, pair: TokenPair | None, now: datetime) -> TokenPair:
        if pair is not None and pair.refreshable(now):
            status, data = self._auth("Authentication/Refresh",
                                      {"AccessToken": pair.access, "RefreshToken": pair.refresh})
            if status == 200:
                return _pair(data, now)
            if status not in (400, 401):
                raise LoginFailed(Outcome.TRANSIENT, f"ERGANI refresh answered HTTP {status}")
        status, data = self._auth("Authentication", self._credentials)
        if status == 200:
            return _pair(data, now)
        if status in (400, 401, 403):
            raise LoginFailed(Outcome.CONFIGURATION, f"ERGANI refused the credentials (HTTP {status})")
        raise LoginFailed(Outcome.TRANSIENT, f"ERGANI login answered HTTP {status}")

    def _auth(self, path: str, body: dict[str, str]) -> tuple[int, dict[str, Any]]:
        try:
            response = self._pool.request("POST", f"{self.base_url}/{path}", body=json.dumps(body).encode(),
                                          headers={"Content-Type": "application/json"}, timeout=self._timeout,
                                          retries=False)
        except urllib3.exceptions.HTTPError as exc:
            raise LoginFailed(Outcome.TRANSIENT, f"ERGANI unreachable: {exc}") from None
        try:
            data = json.loads(response.data or b"{}")
        except ValueError:
            data = {}
        return int(response.status), data if isinstance(data, dict) else {}


def _pair(data: dict[str, Any], now: datetime) -> TokenPair:
    access = str(data.get("accessToken") or "")
    if not access:
        raise LoginFailed(Outcome.TRANSIENT, "ERGANI answered a login without a token")
    seconds = int(data.get("accessTokenExpired") or 10800)
    try:
        refresh_until = datetime.fromisoformat(str(data.get("refreshTokenExpired")))
    except ValueError:
        refresh_until = now + timedelta(days=7)
    return TokenPair(access, now + timedelta(seconds=seconds), str(data.get("refreshToken") or ""),
                     refresh_until if refresh_until.tzinfo else refresh_until.replace(tzinfo=now.tzinfo))


def _message(body: bytes) -> str:
    """ERGANI's text: ``{"message": …}``, a bare JSON string, or the raw body."""
    text = body.decode("utf-8", errors="replace")
    try:
        data = json.loads(body)
    except ValueError:
        return text
    if isinstance(data, str):
        return data
    return str(data.get("message") or text) if isinstance(data, dict) else text


def classify_message(status: int, body: bytes) -> SendResult:
    """An answer that is only a message (a cancellation)."""
    if status == 200:
        return SendResult(Outcome.SUCCESS, http_status=200, body=body, fields={"message": _message(body)[:1000]})
    return _failure(status, body)


def classify_data(status: int, body: bytes) -> SendResult:
    """A read service's answer: its JSON."""
    if status == 200:
        try:
            return SendResult(Outcome.SUCCESS, http_status=200, body=body, fields={"data": json.loads(body)})
        except ValueError:
            return SendResult(Outcome.AMBIGUOUS, "unreadable ExecuteService answer", 200, body)
    return _failure(status, body)


def _failure(status: int, body: bytes) -> SendResult:
    text = body.decode("utf-8", errors="replace")
    if status == 400:
        message = _message(body)
        return SendResult(Outcome.REJECTED, message[:1000], 400, body, errors=[("400", message[:1000])])
    if status in (401, 403):
        return SendResult(Outcome.CONFIGURATION, f"HTTP {status}: {text[:200]}", status, body)
    if status == 429:
        return SendResult(Outcome.TRANSIENT, "HTTP 429: ERGANI's call limiter", status, body)
    return SendResult(Outcome.AMBIGUOUS, f"HTTP {status}: {text[:200]}", status, body)


def classify(status: int, body: bytes) -> SendResult:
    """ERGANI's answer → an outcome (ergani-api.md §1.9)."""
    text = body.decode("utf-8", errors="replace")
    if status == 200:
        try:
            data = json.loads(body)
            first = data[0] if isinstance(data, list) and data else {}
            return SendResult(Outcome.SUCCESS, http_status=200, body=body,
                              fields={"protocol": str(first["protocol"]), "submit_date": str(first["submitDate"]),
                                      "protocols": [str(d.get("protocol")) for d in data]})
        except (ValueError, KeyError, TypeError, IndexError):
            return SendResult(Outcome.AMBIGUOUS, f"unreadable success answer: {text[:200]}", 200, body)
    return _failure(status, body)
