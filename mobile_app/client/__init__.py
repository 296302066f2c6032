"""The backend's REST API for the phone app. No Kivy here: it is tested on its own."""
from mobile_app.client.api import ApiClient, AuthorisationIntent, LinkIntent
from mobile_app.client.errors import (
                                      ApiError,
                                      BackendTimeout,
                                      ClientError,
                                      ConnectionProblem,
                                      NoConnection,
                                      SessionEnded,
)
from mobile_app.client.transport import Polled, Tokens

__all__ = ["ApiClient", "AuthorisationIntent", "LinkIntent", "ApiError", "BackendTimeout",
           "ClientError", "ConnectionProblem", "NoConnection", "SessionEnded", "Polled", "Tokens"]
