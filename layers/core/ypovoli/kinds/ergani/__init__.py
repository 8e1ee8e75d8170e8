"""ERGANI II (seed 001; shared/reference/ergani-api.md): the digital work card, work-time
organisation (ΨΟΧΕ) and leaves, as ERGANI's own documents."""
