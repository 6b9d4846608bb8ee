from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Announcement, ApiToken, Department, Membership, Municipality, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("Stadtlotse", {"fields": ("display_name",)}),)

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, not deleted, so that the audit trail keeps naming who acted.
        return False


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "slug", "state", "ags", "population")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "municipality")
    list_filter = ("municipality",)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "municipality", "role")
    list_filter = ("municipality", "role")


@admin.register(Announcement)
class AnnouncementAdmin(SimpleHistoryAdmin):
    list_display = ("title", "municipality", "visibility", "published_on")
    list_filter = ("municipality", "visibility")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created", "revoked")
    readonly_fields = ("prefix", "key_hash")
