"""The SPARQL service: guard, engine, protocol, formats, the worker pool, service description."""
