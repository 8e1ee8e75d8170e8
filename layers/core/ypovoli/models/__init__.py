"""pydantic v2 models, one module per domain."""
