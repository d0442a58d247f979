"""Model fields shared by the apps (no models of their own)."""

from typing import Any

from django.db import models


class StampField(models.DateTimeField):
    """`auto_now_add` / `auto_now` that keeps a time the service set before the first save.

    Django's own stamps overwrite the instance's value with the clock on every insert, so a
    service given `now=` (a replay of past events: the demo) could not date the rows it
    writes. This field keeps a value set before the row's first save, and stamps the clock
    as Django does otherwise (every later `save()` of an `auto_now` field included).

    It migrates as a plain DateTimeField: the difference is in Python, not in the database.
    """

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if add and value is not None:
            return value
        return super().pre_save(model_instance, add)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs
