"""Who someone is: sign-in, sessions, lockout, one-time codes, personal IDs."""
