"""Answers to a call's questions: checked by the question's kind, stored as JSON, read back as the
eligibility facts they declare, and shown.

Stored values: text as a string, a number as a decimal string (exact), yes/no as true/false, a
choice as its code, a date in ISO form. A file answer keeps its file beside the row instead.
"""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.forms import ValidationError as FormValidationError
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from cityzero.core.uploads import DOCUMENTS, check_upload
from cityzero.programmes.eligibility import Fact
from cityzero.programmes.models import MAX_TEXT_ANSWER, Answer, Question, QuestionKind

MAX_FILE_BYTES = 10 * 2**20
MAX_NUMBER = Decimal(10) ** 13  # larger figures are typing mistakes
EARLIEST_DATE, LATEST_DATE = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)


def problem(question: Question, value: Any) -> str | None:
    """What is wrong with ``value`` as the answer to ``question``, or None. Empty is fine here:
    required questions are checked on submission."""
    if value is None or value == "":
        return None
    check = _CHECKS[QuestionKind(question.kind)]
    return check(question, value)


def _text(question: Question, value: Any) -> str | None:
    if not isinstance(value, str):
        return _("Write the answer as text.")
    limit = min(question.max_length, MAX_TEXT_ANSWER)
    if len(value) > limit:
        return _("Keep the answer to %(n)s characters or fewer; it has %(length)s.") % {
            "n": f"{limit:,}",
            "length": f"{len(value):,}",
        }
    return None


def _number(question: Question, value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return _("Give a number.")
    number = Decimal(value)
    if not number.is_finite() or abs(number) >= MAX_NUMBER:
        return _("Give a number below 10,000,000,000,000.")
    if number != number.quantize(Decimal("0.01"), rounding="ROUND_DOWN"):
        return _("Give at most two decimals.")
    if question.fact == Fact.POPULATION and (number != int(number) or number < 0):
        return _("Give the population as a whole number of inhabitants.")
    if question.min_value is not None and number < question.min_value:
        return _("Give %(n)s or more.") % {"n": number_format(question.min_value)}
    if question.max_value is not None and number > question.max_value:
        return _("Give %(n)s or less.") % {"n": number_format(question.max_value)}
    return None


def _yes_no(question: Question, value: Any) -> str | None:
    return None if isinstance(value, bool) else _("Answer yes or no.")


def _choice(question: Question, value: Any) -> str | None:
    codes = [code for code, _label in question.choices]
    return None if value in codes else _("Choose one of the listed answers.")


def _date(question: Question, value: Any) -> str | None:
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        return _("Give a date.")
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        return _("Give a date between 1900 and 2100.")
    return None


def problem_with_file(upload: Any) -> str | None:
    """What is wrong with an uploaded document, or None; an accepted one gets its ``.kind``."""
    if not isinstance(upload, UploadedFile):
        return _("Attach a file.")
    try:
        upload.kind = check_upload(upload, DOCUMENTS, MAX_FILE_BYTES)
    except FormValidationError as error:
        return " ".join(error.messages)
    return None


def _file(question: Question, value: Any) -> str | None:
    return problem_with_file(value)


_CHECKS = {
    QuestionKind.TEXT: _text,
    QuestionKind.NUMBER: _number,
    QuestionKind.YES_NO: _yes_no,
    QuestionKind.CHOICE: _choice,
    QuestionKind.DATE: _date,
    QuestionKind.FILE: _file,
}


def stored(question: Question, value: Any) -> Any:
    """The JSON form of a checked, non-empty value (not for files)."""
    if question.kind == QuestionKind.TEXT:
        return value.strip()
    if question.kind == QuestionKind.NUMBER:
        number = Decimal(value)
        return str(int(number)) if number == int(number) else str(number)
    if question.kind == QuestionKind.DATE:
        return value.isoformat()
    return value


def python_value(question: Question, value: Any) -> Any:
    """A stored value back as Python: what the form shows and what the facts read."""
    if value is None:
        return None
    if question.kind == QuestionKind.NUMBER:
        try:
            return Decimal(value)
        except InvalidOperation:
            return None
    if question.kind == QuestionKind.DATE:
        return datetime.date.fromisoformat(value)
    return value


def fact_value(question: Question, value: Any) -> Any:
    """The eligibility fact an answer declares (population as an int), or None."""
    found = python_value(question, value)
    if found is not None and question.fact == Fact.POPULATION:
        return int(found)
    return found


def is_given(answer: Answer | None) -> bool:
    if answer is None:
        return False
    if answer.question.kind == QuestionKind.FILE:
        return bool(answer.stored_name)
    return answer.value not in (None, "")


def shown(answer: Answer) -> str:
    """An answer as the application page shows it (files are links, made by the template)."""
    question, value = answer.question, python_value(answer.question, answer.value)
    if question.kind == QuestionKind.YES_NO:
        return _("Yes") if value else _("No")
    if question.kind == QuestionKind.CHOICE:
        return dict(question.choices).get(value, value)
    if question.kind == QuestionKind.NUMBER:
        return number_format(value, force_grouping=True)
    if question.kind == QuestionKind.DATE:
        return date_format(value, "j F Y")
    return str(value)
