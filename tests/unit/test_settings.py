"""Settings come from ``YPOVOLI_*`` variables, converted and validated once; a missing or invalid one
fails loudly at the cold start, naming the setting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError
from ypovoli.settings import Channel, Settings

REQUIRED = {"YPOVOLI_INDEX_TABLE": "idx", "YPOVOLI_DOSSIER_BUCKET": "dossiers",
            "YPOVOLI_API_KEY_PEPPER": "pepper-of-sixteen-chars"}


def test_variables_are_read_by_prefix_in_any_case_and_converted() -> None:
    settings = Settings.from_environ({**REQUIRED, "ypovoli_grace_days": "2", "YPOVOLI_MYDATA_CHANNEL": "provider",
                                      "YPOVOLI_DOUBLE_ENTRY_BOOKS": "false", "YPOVOLI_VOUCHER_AWU_FACTOR": "1.25",
                                      "YPOVOLI_ERGANI_USERTYPE": "02", "YPOVOLI_WEBHOOK_TIMEOUT_S": "2.5",
                                      "HOME": "/root", "OTHER_INDEX_TABLE": "not-ours"})
    assert settings.index_table == "idx" and settings.grace_days == 2
    assert settings.mydata_channel is Channel.PROVIDER and settings.double_entry_books is False
    assert settings.voucher_awu_factor == Decimal("1.25") and settings.ergani_usertype == "02"
    assert settings.webhook_timeout_s == 2.5
    assert settings.mydata_url == "https://mydataapidev.aade.gr/myDataProvider"   # the default env is dev
    assert Settings.from_environ({**REQUIRED, "YPOVOLI_MYDATA_ENV": "prod"}).mydata_url == \
        "https://mydatapi.aade.gr/myDATA"


def test_overrides_win_over_the_environment() -> None:
    settings = Settings.from_environ({**REQUIRED, "YPOVOLI_GRACE_DAYS": "3"}, grace_days=1, index_table="mine")
    assert settings.grace_days == 1 and settings.index_table == "mine"
    assert settings.dossier_bucket == "dossiers"


@pytest.mark.parametrize(("name", "value"), [("YPOVOLI_INDEX_TABLE", None), ("YPOVOLI_API_KEY_PEPPER", "short"),
                                             ("YPOVOLI_GRACE_DAYS", "0"), ("YPOVOLI_GRACE_DAYS", "one"),
                                             ("YPOVOLI_MYDATA_XSD_VERSION", "v3"),
                                             ("YPOVOLI_ERGANI_USERTYPE", "04")])
def test_a_missing_or_invalid_setting_fails_naming_it(name: str, value: str | None) -> None:
    environ = {k: v for k, v in REQUIRED.items() if k != name}
    if value is not None:
        environ[name] = value
    with pytest.raises(ValidationError) as failed:
        Settings.from_environ(environ)
    assert name.removeprefix("YPOVOLI_").lower() in str(failed.value)


def test_settings_are_frozen() -> None:
    settings = Settings.from_environ(REQUIRED)
    with pytest.raises(ValidationError):
        settings.grace_days = 5   # type: ignore[misc]
