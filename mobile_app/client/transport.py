"""HTTP to the backend: tokens with transparent refresh, language, ETags, error shape.

Knows nothing of Kivy; every method blocks, so the app calls it off the UI thread.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import requests

from mobile_app.client.errors import ApiError, BackendTimeout, NoConnection, SessionEnded

API_PREFIX = "/api/v1"
# (connect, read) seconds: a cheap phone on a weak network still gets an answer
# or a clear "timed out" rather than an endless spinner.
DEFAULT_TIMEOUT = (5.0, 20.0)
USER_AGENT = "ssa-app (An sinh xa hoi phone app)"  # header values are Latin-1


@dataclass
class Tokens:
    access_token: str
    refresh_token: str
    ial: int


@dataclass(frozen=True)
class Polled:
    """A polled resource: `changed` is False when the backend answered 304."""
    body: Any
    changed: bool


class Transport:
    def __init__(self, base_url: str, language: str = "vi",
                 timeout: tuple[float, float] = DEFAULT_TIMEOUT):
        self.base_url = base_url.rstrip("/")
        self.language = language
        self.timeout = timeout
        self.tokens: Tokens | None = None
        self._http = requests.Session()
        # What the citizen's list of devices and sessions calls this one.
        self._http.headers["User-Agent"] = USER_AGENT
        # One refresh at a time: a refresh token is single use, and two threads
        # refreshing at once would kill each other's session.
        self._refresh_lock = threading.Lock()
        self._etags: dict[tuple[str, str], tuple[str, Any]] = {}

    def request(self, method: str, path: str, *, json: Any = None, params: dict | None = None,
                headers: dict | None = None, signed_in: bool = True) -> Any:
        """Send one request; with `signed_in`, refresh the tokens once on UNAUTHENTICATED."""
        response = self._send(method, path, json, params, headers, signed_in)
        if signed_in and _is_unauthenticated(response):
            used_token = self._access_token()
            self._refresh(used_token)
            response = self._send(method, path, json, params, headers, signed_in)
            if _is_unauthenticated(response):
                raise _session_ended(response)
        return _body_or_error(response)

    def poll(self, path: str, params: dict | None = None) -> Polled:
        """GET with If-None-Match when an ETag is known; 304 means unchanged.

        Each query (path, parameters, language) keeps its own ETag: the backend
        tags every filtered list on its own, and its tags do not change with the
        language while the words in the body do. Works with a backend that sends
        no ETag: every answer then counts as changed.
        """
        params = {name: value for name, value in (params or {}).items() if value is not None}
        resource = (self.language, path + "?" + urlencode(sorted(params.items())))
        known = self._etags.get(resource)
        headers = {"If-None-Match": known[0]} if known else {}
        response = self._send("GET", path, None, params, headers, True)
        if _is_unauthenticated(response):
            self._refresh(self._access_token())
            response = self._send("GET", path, None, params, headers, True)
            if _is_unauthenticated(response):
                raise _session_ended(response)
        if response.status_code == 304 and known:
            return Polled(body=known[1], changed=False)
        body = _body_or_error(response)
        etag = response.headers.get("ETag")
        if etag:
            self._etags[resource] = (etag, body)
        else:
            self._etags.pop(resource, None)
        return Polled(body=body, changed=True)

    def forget_session(self) -> None:
        self.tokens = None
        self._etags.clear()

    def _access_token(self) -> str | None:
        return self.tokens.access_token if self.tokens else None

    def _refresh(self, used_access_token: str | None) -> None:
        with self._refresh_lock:
            if self.tokens is None:
                raise SessionEnded(401, "UNAUTHENTICATED", "not signed in")
            if self.tokens.access_token != used_access_token:
                return  # another thread refreshed while this one waited
            response = self._send("POST", "/auth/refresh", None, None, {
                "Authorization": f"Bearer {self.tokens.refresh_token}"}, False)
            if response.status_code in (401, 422):
                self.forget_session()
                raise _session_ended(response)
            pair = _body_or_error(response)
            self.tokens = Tokens(pair["access_token"], pair["refresh_token"], pair["ial"])

    def _send(self, method: str, path: str, json: Any, params: dict | None,
              headers: dict | None, signed_in: bool) -> requests.Response:
        sent_headers = {"Accept": "application/json", "Accept-Language": self.language,
                        **(headers or {})}
        if signed_in and self.tokens is not None:
            sent_headers.setdefault("Authorization", f"Bearer {self.tokens.access_token}")
        try:
            return self._http.request(method, f"{self.base_url}{API_PREFIX}{path}", json=json,
                                      params=params, headers=sent_headers, timeout=self.timeout)
        # ConnectTimeout is both a Timeout and a ConnectionError: a timeout first.
        except requests.Timeout as timeout:
            raise BackendTimeout(str(timeout)) from timeout
        except requests.ConnectionError as refused:
            raise NoConnection(str(refused)) from refused


def _is_unauthenticated(response: requests.Response) -> bool:
    return response.status_code == 401 and _error_code(response) == "UNAUTHENTICATED"


def _error_code(response: requests.Response) -> str | None:
    try:
        return response.json().get("code")
    except ValueError:
        return None


def _session_ended(response: requests.Response) -> SessionEnded:
    error = _api_error(response)
    return SessionEnded(error.status, "UNAUTHENTICATED", error.message, error.details)


def _api_error(response: requests.Response) -> ApiError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    return ApiError(response.status_code, body.get("code") or f"HTTP_{response.status_code}",
                    body.get("message") or response.reason or "", body.get("details") or {})


def _body_or_error(response: requests.Response) -> Any:
    if response.status_code >= 400:
        raise _api_error(response)
    if response.status_code == 204 or not response.content:
        return None
    return response.json()
