"""The embedded local stack: moto in server mode, the resources of template.yaml, the Chalice app
over HTTP, pollers that feed the very Lambda handlers, and faithful upstream simulators."""
