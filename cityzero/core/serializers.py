"""Django's JSON serialisation with datetimes and times to the microsecond, for backups.

Django's own JSON encoder cuts them to milliseconds (as ECMAScript dates have it), so a backup
written with it would not restore exactly what was saved. Registered as "exactjson" in
``SERIALIZATION_MODULES``; the deserialiser is Django's, which reads either.
"""

import datetime
from typing import Any

from django.core.serializers.json import Deserializer, DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer

__all__ = ["Deserializer", "Serializer"]


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self) -> None:
        self.options.setdefault("cls", ExactEncoder)
        super()._init_options()
