"""What ``describe_history`` needs to know of the apps' records, registered by the apps
(from their ``panels.py``, or any module the web shell discovers):

    from fupin.web import history

    history.register_model(Household, subject=lambda event: "")
    history.register_labels({"secondary_causes": _("secondary causes")})
    history.register_values({"secondary_causes": lambda describe, value: ...})

- ``register_model(model, subject=None)``: the events of this model (``object_type``
  ``"<app_label>.<model_name>"``) name their fields by the model's ``verbose_name`` and
  choices; ``subject(event) -> str`` says what the event is about on the page of the record
  it belongs to (by default the event's ``object_repr``).
- ``register_labels({key: label})``: the label of a key the models cannot name (a list
  kept with the record, a computed figure); ``key`` without ``_id``.
- ``register_values({key: formatter})``: ``formatter(describer, value) -> str`` shows a
  stored value of that key (a list of codes, of members); the describer's ``value(model,
  key, value)`` formats the parts and masks identifiers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db import models

Subject = Callable[[Any], str]
Formatter = Callable[[Any, Any], str]

_models: dict[str, type[models.Model]] = {}
_subjects: dict[str, Subject] = {}
_labels: dict[str, Any] = {}
_values: dict[str, Formatter] = {}


def register_model(model: type[models.Model], *, subject: Subject | None = None) -> None:
    object_type = model._meta.label_lower
    _models[object_type] = model
    if subject is not None:
        _subjects[object_type] = subject


def register_labels(labels: Mapping[str, Any]) -> None:
    _labels.update(labels)


def register_values(formatters: Mapping[str, Formatter]) -> None:
    _values.update(formatters)


def model_for(object_type: str) -> type[models.Model] | None:
    return _models.get(object_type)


def subject_for(event: Any) -> str:
    subject = _subjects.get(event.object_type)
    return subject(event) if subject is not None else event.object_repr


def label_for(key: str) -> Any | None:
    return _labels.get(key)


def formatter_for(key: str) -> Formatter | None:
    return _values.get(key)
