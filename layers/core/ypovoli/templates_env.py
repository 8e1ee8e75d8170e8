"""The one Jinja2 environment every HTML page and report is rendered with: templates from the
package (``ypovoli/templates/``), autoescaping on for every template and string (tenant text is
never markup), and an undefined name an error rather than an empty string."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, Template, select_autoescape


@cache
def environment() -> Environment:
    return Environment(loader=PackageLoader("ypovoli", "templates"), undefined=StrictUndefined,
                       autoescape=select_autoescape(default=True, default_for_string=True))


def template(name: str) -> Template:
    return environment().get_template(name)
