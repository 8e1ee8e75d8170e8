"""Where an operator's command acts: the local stack or a deployed one — the same commands either way.

``--local`` (or ``YPOVOLI_URL`` naming a loopback address) means the local stack: its moto endpoint,
region, table names and pepper come from ``/_local/admin`` (behind the demo key, ``--key`` /
``YPOVOLI_KEY``), and boto3 is pointed there with dummy credentials. Otherwise the deployed stack
``--stack`` in the region of ``--region``, the AWS profile or ``AWS_REGION`` — and a missing region or
credentials is one line saying what to do, never a botocore traceback.
"""

from __future__ import annotations

import functools
import json
import os
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import typer
from rich.console import Console

DEFAULT_LOCAL_URL = "http://127.0.0.1:8000"
err = Console(stderr=True)

STACK = typer.Option("ypovoli", "--stack", envvar="YPOVOLI_STACK",
                     help="the deployed stack's name (ignored with --local)")
LOCAL = typer.Option(False, "--local", help="act on the local stack (`make run`) at --url, default "
                     f"{DEFAULT_LOCAL_URL}; a loopback YPOVOLI_URL means the same")
URL = typer.Option(None, "--url", envvar="YPOVOLI_URL", help="ypovoli's address (the local stack: "
                   f"{DEFAULT_LOCAL_URL})")
KEY = typer.Option(None, "--key", envvar="YPOVOLI_KEY", help="an API key (with --local: the demo key "
                   "`make run` prints)")
REGION = typer.Option(None, "--region", help="the AWS region of the deployed stack (default: your AWS "
                      "profile's, or AWS_REGION)")
JSON = typer.Option(False, "--json", help="print JSON instead of a table")


class UserError(Exception):
    """A mistake or a missing setting of the person at the terminal: said in one line, exit 2."""


@dataclass(frozen=True)
class Where:
    stack: str
    local: bool
    #: The local stack's own table names and pepper (``/_local/admin``); empty for a deployed stack.
    admin: dict[str, str]

    def env(self, name: str, default: str = "") -> str:
        return self.admin.get(name) or default


def is_loopback(url: str | None) -> bool:
    host = urlsplit(url or "").hostname or ""
    return host in ("127.0.0.1", "localhost", "::1")


def resolve(stack: str, local: bool, url: str | None, key: str | None, region: str | None) -> Where:
    if local or is_loopback(url):
        return _local(url if url and is_loopback(url) else DEFAULT_LOCAL_URL, key)
    chosen = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if not chosen:
        import boto3

        chosen = boto3.session.Session().region_name
    if not chosen:
        raise UserError("no AWS region: give --region, set AWS_REGION, or set one in your AWS profile "
                        "(`aws configure`); for the local stack, --local")
    os.environ["AWS_DEFAULT_REGION"] = chosen
    return Where(stack, False, {})


def _local(url: str, key: str | None) -> Where:
    if not key:
        raise UserError("the local stack's administration needs its demo key: --key or YPOVOLI_KEY "
                        "(`make run` prints it)")
    request = urllib.request.Request(url.rstrip("/") + "/_local/admin",  # noqa: S310 — a loopback address
                                     headers={"x-api-key": key})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 — a loopback address
            target = json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        if exc.code == 401:
            raise UserError(f"{url} refused the key: give the demo key `make run` printed (--key or "
                            "YPOVOLI_KEY)") from None
        raise UserError(f"{url} is not a local ypovoli stack (HTTP {exc.code} at /_local/admin)") from None
    except (urllib.error.URLError, OSError) as exc:
        raise UserError(f"nothing answers at {url} ({getattr(exc, 'reason', exc)}): is `make run` running?") from None
    os.environ["AWS_ENDPOINT_URL"] = target["aws_endpoint"]
    os.environ["AWS_ACCESS_KEY_ID"] = os.environ["AWS_SECRET_ACCESS_KEY"] = "local"  # noqa: S105 — moto's
    os.environ["AWS_DEFAULT_REGION"] = os.environ["AWS_REGION"] = str(target.get("region") or "eu-central-1")
    os.environ.pop("AWS_PROFILE", None)
    return Where(str(target.get("stack") or "ypovoli-local"), True, {k: str(v) for k, v in target.items()})


F = TypeVar("F", bound=Callable[..., Any])


def friendly(command: F) -> F:
    """A user's mistake, a missing region or credentials, AWS's refusal: one line on stderr, exit 2."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError

        try:
            return command(*args, **kwargs)
        except UserError as exc:
            err.print(f"error: {exc}", style="red", markup=False)
        except NoRegionError:
            err.print("error: no AWS region: give --region, set AWS_REGION, or set one in your AWS profile",
                      style="red", markup=False)
        except NoCredentialsError:
            err.print("error: no AWS credentials: `aws configure`, AWS_PROFILE, or AWS_ACCESS_KEY_ID and "
                      "AWS_SECRET_ACCESS_KEY; for the local stack, --local", style="red", markup=False)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            err.print(f"error: AWS said {error.get('Code', '?')}: {error.get('Message', '')}", style="red",
                      markup=False)
        except BotoCoreError as exc:
            err.print(f"error: {exc}", style="red", markup=False)
        raise typer.Exit(2)

    return run  # type: ignore[return-value]


def emit(as_json: bool, data: Any, show: Callable[[], None]) -> None:
    """``--json``: the data on stdout, one document; else the people's rendering."""
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        show()
