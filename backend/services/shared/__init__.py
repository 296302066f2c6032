"""Tools every domain uses: encryption at rest, file digests, idempotency."""
