"""Businesses and their fiscal devices (seeds 000 and 001): registration checks (REG-ACCOUNT) and
the cash-register cadence (FHM-*), swept by due time and shown in the compliance view."""
