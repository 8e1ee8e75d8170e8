"""Tenant webhooks: signing, target checks and the delivery of status-change events."""
