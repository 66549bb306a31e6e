"""The admin of records only services write (audit journals, lock and jury events): readable, never edited."""
from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Audit records are written by the services only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
