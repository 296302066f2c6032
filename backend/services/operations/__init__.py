"""Running the service: whether it is ready to serve, and the figures it exposes."""
