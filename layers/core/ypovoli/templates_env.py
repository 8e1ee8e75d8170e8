"""The one Jinja2 environment every HTML page and report is rendered with: templates from the
package (``ypovoli/templates/``) and from each kind's folder (``kinds/<kind>/templates/``, the same
names: ``console/…`` for its console pages), autoescaping on for every template and string (tenant text is
never markup), and an undefined name an error rather than an empty string.

jinja2 is imported when the first page is rendered, not when a function starts: most requests render
none, and its import is ~50 ms of a cold start (issue 17 §2)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment, Template


@cache
def environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    package = Path(__file__).resolve().parent
    folders = [package / "templates", *sorted(p for p in (package / "kinds").glob("*/templates") if p.is_dir())]
    return Environment(loader=FileSystemLoader(folders), undefined=StrictUndefined,
                       autoescape=select_autoescape(default=True, default_for_string=True))


def template(name: str) -> Template:
    return environment().get_template(name)
