"""The admin of accounts: each user's sign-in settings beside them; the permissions, the login attempts' and the
background tasks' columns in French."""
from axes.admin import AccessAttemptAdmin, IsLockedOutFilter
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from accounts.models import AccountProfile


class AccountProfileInline(admin.StackedInline):
    model = AccountProfile
    can_delete = False
    fields = ["cas_id", "local_login_allowed"]


PERMISSION_ACTIONS = {"add": "ajouter", "change": "modifier", "delete": "supprimer", "view": "voir"}


class FrenchPermissionField(forms.ModelMultipleChoiceField):
    """Permissions named in French: Django stores the built-in ones as « Can add … », in English, whatever the
    language; « Peut ajouter » followed by the model's French name instead (other permissions keep their name)."""

    def label_from_instance(self, obj: Permission) -> str:
        action, _, model = obj.codename.partition("_")
        name = obj.name
        model_class = obj.content_type.model_class()
        if action in PERMISSION_ACTIONS and model_class is not None and model == model_class._meta.model_name:
            name = f"Peut {PERMISSION_ACTIONS[action]} « {model_class._meta.verbose_name} »"
        return f"{obj.content_type} | {name}"


class FrenchPermissionsMixin:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name in {"permissions", "user_permissions"}:
            kwargs["form_class"] = FrenchPermissionField
            kwargs["queryset"] = Permission.objects.select_related("content_type")
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)


class UserWithProfileAdmin(FrenchPermissionsMixin, UserAdmin):
    inlines = [*UserAdmin.inlines, AccountProfileInline]


class FrenchGroupAdmin(FrenchPermissionsMixin, GroupAdmin):
    pass


class TaskResultAdmin(DBTaskResultAdmin):
    list_display = ("id", "task_label", "status", "enqueued_at", "started_at", "finished_at", "priority",
                    "queue_name")

    @admin.display(description="tâche")
    def task_label(self, obj: DBTaskResult) -> str:
        return obj.task_name

    @admin.display(description="trace de l'erreur")
    def formatted_traceback(self, obj: DBTaskResult) -> str:
        return super().formatted_traceback(obj)


class LockedOutFilter(IsLockedOutFilter):
    title = "verrouillage"


class LoginAttemptAdmin(AccessAttemptAdmin):
    """axes' login attempts, with the columns and the filter its own French leaves in English."""

    list_filter = [LockedOutFilter if f is IsLockedOutFilter else f for f in AccessAttemptAdmin.list_filter]

    @admin.display(description="état")
    def status(self, obj: AccessAttempt) -> str:
        left = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        return f"{left} essai(s) restant(s)" if left > 0 else "verrouillée"

    @admin.display(description="expire le")
    def expiration(self, obj: AccessAttempt):
        return super().expiration(obj)

    @admin.action(description="Supprimer les tentatives expirées")
    def cleanup_expired_attempts(self, request, queryset):
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(request, f"{count} tentative(s) expirée(s) supprimée(s).")


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, LoginAttemptAdmin)
admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), UserWithProfileAdmin)
admin.site.unregister(Group)
admin.site.register(Group, FrenchGroupAdmin)
admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
