"""The catalogue and the uploads in the Django admin.

Indicators are saved through `dashboards.catalogue.services.save_indicator`; once an indicator has
figures, what they mean (owner, frequency, aggregation, dimensions) is read-only. Uploads are only
shown: they are sent, checked and decided in the portal, and never deleted.
"""

from django.contrib import admin

from dashboards.catalogue import services as catalogue
from ketenportaal.admin import ReadOnlyAdmin, ServiceAdmin

from .models import Indicator, Upload


@admin.register(Indicator)
class IndicatorAdmin(ServiceAdmin):
    list_display = ["code", "label", "owner", "frequency", "aggregation", "active"]
    list_filter = ["owner", "frequency", "active"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and catalogue.has_figures(obj):
            fields += [*catalogue.FIXED_ONCE_USED, "dimensions", "code"]
        return fields

    def save_with_service(self, request, obj, form, change) -> None:
        catalogue.save_indicator(indicator=obj, by=request.user)


@admin.register(Upload)
class UploadAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "organisation", "status", "uploaded_at", "rows"]
    list_filter = ["organisation", "status"]


# Infected files refused at upload (dashboards.uploads.scanning): shown to the administrator,
# never changed or deleted here.
from .models import QuarantinedFile  # noqa: E402


@admin.register(QuarantinedFile)
class QuarantinedFileAdmin(admin.ModelAdmin):
    list_display = ["detected_at", "organisation", "uploaded_by", "file_name", "signature"]
    list_filter = ["organisation"]
    readonly_fields = [f.name for f in QuarantinedFile._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
