"""The HTTP service: FastAPI routes over the protocol, engine and page modules."""
