"""Every rule and state transition of the service lives here."""
