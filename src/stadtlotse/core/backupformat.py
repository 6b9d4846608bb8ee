"""The backup format: Django's JSON serialization, but with times to the microsecond.

Django's JSON encoder cuts times to milliseconds; a backup must give back exactly what it
took, so this serializer writes ISO 8601 with microseconds. Registered as ``stadtlotse-json``.
"""

import datetime

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactEncoder


Deserializer = django_json.Deserializer

__all__ = ["Serializer", "Deserializer"]
