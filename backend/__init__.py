"""Social security account service behind the national eID app."""
