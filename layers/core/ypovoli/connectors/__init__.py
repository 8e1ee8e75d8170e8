"""Upstream clients (myDATA, ERGANI) behind one small protocol; timeouts, no retries inside —
retrying is the outbox's job, where it is durable and visible."""
