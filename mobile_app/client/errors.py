"""What the API client raises: API refusals with their code, session end, network trouble."""
from __future__ import annotations


class ClientError(Exception):
    """Base of every failure the client reports."""


class ApiError(ClientError):
    """The backend answered with its error shape (API.md): a stable `code` to act on."""

    def __init__(self, status: int, code: str, message: str, details: dict | None = None):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}


class SessionEnded(ApiError):
    """The tokens are dead even after a refresh: the citizen must sign in again."""


class ConnectionProblem(ClientError):
    """The backend could not be reached or did not answer; retrying may help."""


class BackendTimeout(ConnectionProblem):
    """The backend took too long to answer."""


class NoConnection(ConnectionProblem):
    """No connection to the backend (down, wrong address, no network)."""
