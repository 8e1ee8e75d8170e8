"""Upstream clients (each kind's, in its folder) behind one small protocol; timeouts, no retries inside —
retrying is the outbox's job, where it is durable and visible."""
