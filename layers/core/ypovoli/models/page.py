"""What every listing of the API has beside its items: the way to the next page."""

from __future__ import annotations

from pydantic import Field

from .base import Model


class Page(Model):
    """A page of a listing, newest first (businesses: by ΑΦΜ). ``next`` — absent on the last page — is
    the path of the next one; ``?limit=`` (1–200, default 50) sets a page's size."""

    next: str | None = Field(default=None, description="the path and query of the next page; absent on the last",
                             examples=["/v1/invoices?afm=800123456&limit=50&cursor=eyJQSyI6IlRFTkFOVCNhY21lIn0"])
    next_cursor: str | None = Field(default=None, description="the next page's cursor alone (for `?cursor=`); "
                                    "absent on the last page", examples=["eyJQSyI6IlRFTkFOVCNhY21lIn0"])
