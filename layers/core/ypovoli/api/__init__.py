"""The HTTP API, area by area: each module builds a Chalice ``Blueprint`` for one area (submissions
of a kind, webhooks, reports, compliance, the console; each kind's own under ``kinds/``) from an :class:`Api`
context; ``functions/api/app.py`` only wires them to the app, its authorizers and its middleware.

Blueprints are built per app (a factory, not a module-level object) because the local stack runs
several copies of the app in one process, as Lambda runs several execution environments: each copy
keeps its own routes, caches and current request.
"""
