"""Every filter of every app's FilterSet has a label of its own in both languages (the
pages' filter forms and the API schema show it): a label that django-filter cannot derive
from the model shows "[invalid name]", and an English word on a Chinese page is a missing
translation."""

from __future__ import annotations

import re

import django_filters
import pytest
from django.utils import translation
from django.utils.module_loading import autodiscover_modules
from drf_spectacular.generators import SchemaGenerator

CJK = re.compile(r"[\u4e00-\u9fff]")


def _filtersets() -> list[type[django_filters.FilterSet]]:
    autodiscover_modules("filters")
    found: list[type[django_filters.FilterSet]] = []
    stack = list(django_filters.FilterSet.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("fupin.") and getattr(cls._meta, "model", None) is not None:
            found.append(cls)
    return sorted(found, key=lambda c: (c.__module__, c.__name__))


def _labels(cls: type[django_filters.FilterSet], language: str) -> dict[str, str]:
    with translation.override(language):
        filterset = cls(queryset=cls._meta.model.objects.none())
        return {name: str(filterset.form.fields[name].label) for name in filterset.filters}


@pytest.fixture(scope="module")
def schema_read_in_english() -> None:
    """The API schema generator reads every filter of the classes (their labels too), in the
    language of its request: before the fix, that froze a derived label in English."""
    with translation.override("en"):
        SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize("cls", _filtersets(), ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_every_filter_is_labelled_in_both_languages(
    cls: type[django_filters.FilterSet], schema_read_in_english: None
) -> None:
    english = _labels(cls, "en")
    chinese = _labels(cls, "zh-hans")
    _labels(cls, "en")  # a label fixed in the first language would show in the next
    again = _labels(cls, "zh-hans")
    assert not [name for name, label in english.items() if "invalid name" in label]
    assert [name for name, label in chinese.items() if not CJK.search(label)] == []
    assert again == chinese
