"""Use cases: they orchestrate rules, store and connectors, and hold no boto3 of their own."""
