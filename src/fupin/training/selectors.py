"""Reads of Rain Plan training. Every function that takes a user scopes by ``visible_to``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from fupin.core.areacodes import descendant_range
from fupin.registry.models import Household, Person
from fupin.training import rules
from fupin.training.choices import ClassType, EnrolmentStatus
from fupin.training.models import Enrolment, SubsidyPayment, Target, TrainingBase, TrainingClass, Transfer


def bases(user: Any) -> QuerySet[TrainingBase]:
    return TrainingBase.objects.visible_to(user).select_related("county")


def classes(user: Any) -> QuerySet[TrainingClass]:
    return (
        TrainingClass.objects.visible_to(user)
        .select_related("area", "base", "project")
        .annotate(
            enrolled=Count("enrolments", distinct=True),
            completed=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.COMPLETED), distinct=True),
        )
    )


def enrolments(user: Any) -> QuerySet[Enrolment]:
    return Enrolment.objects.visible_to(user).select_related("klass__area", "klass__base", "person__household")


def transfers(user: Any) -> QuerySet[Transfer]:
    return Transfer.objects.visible_to(user).select_related("enrolment__klass", "enrolment__person__household")


def targets(user: Any) -> QuerySet[Target]:
    return Target.objects.visible_to(user).select_related("area")


def class_roster(klass: TrainingClass) -> QuerySet[Enrolment]:
    """The class's trainees with their households and transfers."""
    return (
        Enrolment.objects.filter(klass=klass)
        .select_related("person__household__village")
        .prefetch_related(Prefetch("transfers", queryset=Transfer.objects.order_by("start_date", "id")))
        .order_by("person__household__code", "person_id")
    )


def household_training(household: Household) -> list[dict[str, Any]]:
    """Each member's enrolments (with their transfers): what the household page shows.
    The household is already scoped by whoever shows its page."""
    rows = []
    qs = (
        Enrolment.objects.filter(person__household=household)
        .select_related("klass__base", "person")
        .prefetch_related(Prefetch("transfers", queryset=Transfer.objects.order_by("start_date", "id")))
        .order_by("person_id", "klass__start_date", "id")
    )
    for enrolment in qs:
        rows.append({"person": enrolment.person, "enrolment": enrolment, "transfers": list(enrolment.transfers.all())})
    return rows


def person_training(person: Person) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(person=person)
        .select_related("klass__base")
        .prefetch_related(Prefetch("transfers", queryset=Transfer.objects.order_by("start_date", "id")))
        .order_by("klass__start_date", "id")
    )


# --- the year's figures ----------------------------------------------------------------------------


def _trained_q(year: int, prefix: str = "") -> Q:
    """Completed a labour-transfer class in the year (the definition of
    ``training.transfer.trained``)."""
    return Q(
        **{
            f"{prefix}klass__type": ClassType.LABOUR_TRANSFER,
            f"{prefix}status": EnrolmentStatus.COMPLETED,
            f"{prefix}completed_on__year": year,
        }
    )


def _transferred_q(year: int, prefix: str = "") -> Q:
    """...and has a transfer to employment starting in the year (``training.transfer.transferred``)."""
    return _trained_q(year, prefix) & Q(**{f"{prefix}transfers__start_date__year": year})


@dataclass
class BaseResult:
    base: TrainingBase
    trained: int
    transferred: int
    rate: float
    share: Decimal = Decimal("0")


def base_results(*, user: Any, year: int) -> list[BaseResult]:
    """Each visible base's trainees who completed its labour-transfer classes in the year,
    and those of them transferred to employment in the year."""
    qs = bases(user).annotate(
        trained=Count("classes__enrolments__person", filter=_trained_q(year, "classes__enrolments__"), distinct=True),
        transferred=Count(
            "classes__enrolments__person", filter=_transferred_q(year, "classes__enrolments__"), distinct=True
        ),
    )
    return [
        BaseResult(b, b.trained, b.transferred, rules.transfer_rate(b.trained, b.transferred))
        for b in qs.order_by("code")
    ]


def subsidies_paid(*, user: Any, year: int) -> Decimal:
    """The training subsidies paid from the ledger for fund year ``year`` in the user's areas."""
    total = (
        SubsidyPayment.objects.filter(klass__in=TrainingClass.objects.visible_to(user), entry__year=year)
        .aggregate(total=Sum("amount"))
        .get("total")
    )
    return Decimal(total or 0)


def allocation(*, user: Any, year: int, total: Decimal | None = None) -> dict[str, Any]:
    """The suggested allocation of the next year's training funds (``total``; by default
    what was paid in subsidies for ``year``) across the visible bases by their results in
    ``year``: ``rules.allocate_by_transfers`` (docs/training.md)."""
    results = base_results(user=user, year=year)
    amount = subsidies_paid(user=user, year=year) if total is None else Decimal(total)
    shares = rules.allocate_by_transfers(amount, [(r.base.code, r.trained, r.transferred) for r in results])
    for r in results:
        r.share = shares.get(r.base.code, Decimal("0"))
    trained = sum(r.trained for r in results)
    transferred = sum(r.transferred for r in results)
    return {
        "year": year,
        "for_year": year + 1,
        "total": amount.quantize(Decimal("0.01")),
        "trained": trained,
        "transferred": transferred,
        "rate": rules.transfer_rate(trained, transferred),
        "bases": results,
    }


def _people(qs: QuerySet[Enrolment], area_lookup: str, code: str | None) -> int:
    if code:
        lo, hi = descendant_range(code)
        qs = qs.filter(**{f"{area_lookup}__code__range": (lo, hi)})
    return qs.values("person").distinct().count()


def target_completion(*, user: Any, year: int) -> list[dict[str, Any]]:
    """Each visible target of the year with what was achieved: people trained and
    transferred (definitions of ``training.transfer.*``) among the classes held in the
    target's area, and the percentage of the target."""
    rows = []
    for target in targets(user).filter(year=year).order_by("area__code"):
        trained = _people(Enrolment.objects.filter(_trained_q(year)), "klass__area", target.area.code)
        transferred = _people(Enrolment.objects.filter(_transferred_q(year)), "klass__area", target.area.code)
        rows.append(
            {
                "target": target,
                "trained": trained,
                "transferred": transferred,
                "trained_percent": round(100 * trained / target.trained, 1) if target.trained else None,
                "transferred_percent": (
                    round(100 * transferred / target.transferred, 1) if target.transferred else None
                ),
            }
        )
    return rows
