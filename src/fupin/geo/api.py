from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from fupin.geo.choices import KeyCounty
from fupin.geo.filters import AdminAreaFilterSet
from fupin.geo.models import AdminArea
from fupin.geo.services import area_set_flags


class AdminAreaSerializer(serializers.ModelSerializer):
    parent: serializers.SlugRelatedField[AdminArea] = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="code", read_only=True, allow_null=True
    )  # a field named like Field.parent; DRF takes declared fields off the class

    class Meta:
        model = AdminArea
        fields = [
            "code",
            "name",
            "name_en",
            "level",
            "kind",
            "parent",
            "key_county",
            "key_village",
            "area_km2",
            "population",
        ]


class AreaFlagsInput(serializers.Serializer):
    key_county = serializers.ChoiceField(choices=KeyCounty.choices, required=False, allow_blank=True)
    key_village = serializers.BooleanField(required=False)


class AdminAreaViewSet(viewsets.ReadOnlyModelViewSet):
    """The administrative tree, scoped to the user's areas. ``?area=2301`` lists Harbin and
    everything below it."""

    serializer_class = AdminAreaSerializer
    filterset_class = AdminAreaFilterSet
    lookup_field = "code"

    def get_queryset(self):
        return AdminArea.objects.visible_to(self.request.user).select_related("parent")

    @extend_schema(request=AreaFlagsInput, responses=AdminAreaSerializer)
    @action(detail=True, methods=["post"])
    def flags(self, request: Request, code: str | None = None) -> Response:
        """Designate a key county (national or provincial) or a key village (province office)."""
        data = AreaFlagsInput(data=request.data)
        data.is_valid(raise_exception=True)
        area = area_set_flags(actor=request.user, area=self.get_object(), **data.validated_data)
        return Response(AdminAreaSerializer(area).data)
