"""``make run`` takes the settings of the shell it was run from (issue 12 §9): a ``YPOVOLI_*`` value
there wins over the template's parameter default, except where the stack must decide."""

from __future__ import annotations

from ypovoli_local.stack import LOCAL_OVERRIDES, STACK_OWNED, function_environment


def test_the_shell_wins_over_the_template_and_the_local_defaults() -> None:
    template = {"YPOVOLI_MYDATA_CHANNEL": "erp", "YPOVOLI_INDEX_TABLE": "ypovoli-local-index",
                "YPOVOLI_GRACE_DAYS": "1"}
    shell = {"YPOVOLI_MYDATA_CHANNEL": "provider", "YPOVOLI_GRACE_DAYS": "2", "YPOVOLI_BACKOFF_BASE_S": "7",
             "YPOVOLI_INDEX_TABLE": "someone-elses-table", "HOME": "/root"}
    env = function_environment(template, LOCAL_OVERRIDES, shell)
    assert env["YPOVOLI_MYDATA_CHANNEL"] == "provider" and env["YPOVOLI_GRACE_DAYS"] == "2"
    assert env["YPOVOLI_BACKOFF_BASE_S"] == "7"  # over the local default too
    assert env["YPOVOLI_INDEX_TABLE"] == "ypovoli-local-index"  # the stack's own resource
    assert "HOME" not in env
    assert "YPOVOLI_MYDATA_CHANNEL" not in STACK_OWNED
