"""The kinds of submission: one sub-package each, one line each in ``registry``."""
