"""The social security account and its payout links: linking, checks, review, authorisations."""
