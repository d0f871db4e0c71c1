"""The audit log over the API, scoped by the area of each event."""

from __future__ import annotations

from rest_framework import serializers, viewsets

from fupin.core.masking import mask_identifiers
from fupin.core.models import AuditEvent
from fupin.core.policy import can_view_identifiers
from fupin.core.scoping import scope_ranges


class AuditEventSerializer(serializers.ModelSerializer):
    """ID numbers and phones inside ``before`` and ``after`` are masked unless the user may
    see them."""

    def to_representation(self, instance: AuditEvent) -> dict:
        data = super().to_representation(instance)
        request = self.context.get("request")
        if not (request and can_view_identifiers(request.user)):
            data["before"] = mask_identifiers(data["before"])
            data["after"] = mask_identifiers(data["after"])
        return data

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor_name",
            "channel",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "area_code",
            "before",
            "after",
            "note",
        ]


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit log: who changed what, when and through which channel."""

    serializer_class = AuditEventSerializer
    filterset_fields = ["action", "channel", "object_type", "object_id"]

    def get_queryset(self):
        from django.db.models import Q

        qs = AuditEvent.objects.order_by("-at", "-id")
        ranges = scope_ranges(self.request.user)
        if ranges is None:
            return qs
        q = Q(pk__in=[])
        for lo, hi in ranges:
            q |= Q(area_code__range=(lo, hi))
        return qs.filter(q)
