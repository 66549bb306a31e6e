"""The admin of accounts: each user's sign-in settings beside them, and the background tasks' columns in French."""
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from accounts.models import AccountProfile


class AccountProfileInline(admin.StackedInline):
    model = AccountProfile
    can_delete = False
    fields = ["cas_id", "local_login_allowed"]


class UserWithProfileAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, AccountProfileInline]


class TaskResultAdmin(DBTaskResultAdmin):
    list_display = ("id", "task_label", "status", "enqueued_at", "started_at", "finished_at", "priority",
                    "queue_name")

    @admin.display(description="tâche")
    def task_label(self, obj: DBTaskResult) -> str:
        return obj.task_name

    @admin.display(description="trace de l'erreur")
    def formatted_traceback(self, obj: DBTaskResult) -> str:
        return super().formatted_traceback(obj)


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), UserWithProfileAdmin)
admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
