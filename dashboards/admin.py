from django.contrib import admin

from .models import Indicator, Upload


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "owner", "frequency", "aggregation", "active"]
    list_filter = ["owner", "frequency", "active"]


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = ["file_name", "organisation", "status", "uploaded_at", "rows"]
    list_filter = ["organisation", "status"]
    readonly_fields = [f.name for f in Upload._meta.fields]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # nothing a partner sent is ever deleted
