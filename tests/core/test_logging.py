"""Production logs are one JSON object per line, with the fields log collectors expect."""

import json
import logging

from django.conf import settings
from pythonjsonlogger.json import JsonFormatter


def test_a_log_record_is_one_json_object_with_time_level_logger_and_message():
    config = settings.LOGGING["formatters"]["json"]
    formatter = JsonFormatter(fmt=config["fmt"], rename_fields=config["rename_fields"])
    record = logging.LogRecord("cityzero.core", logging.WARNING, __file__, 1,
                               "Readiness check %s failed", ("cache",), None)  # fmt: skip

    line = formatter.format(record)

    assert "\n" not in line
    found = json.loads(line)
    assert found["level"] == "WARNING"
    assert found["logger"] == "cityzero.core"
    assert found["message"] == "Readiness check cache failed"
    assert "time" in found


def test_the_console_writes_the_configured_format():
    assert settings.LOGGING["handlers"]["console"]["formatter"] == settings.LOG_FORMAT
    assert settings.LOG_FORMAT in settings.LOGGING["formatters"]
