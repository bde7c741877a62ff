from django.contrib import admin

from mutualis.core.admin import ModelAdmin
from mutualis.governance.models import Body, BodyMember, Deliberation, Meeting


@admin.register(Body)
class BodyAdmin(ModelAdmin):
    list_display = ["name", "kind", "notice_days"]


@admin.register(BodyMember)
class BodyMemberAdmin(ModelAdmin):
    list_display = ["name", "body", "role", "votes", "start_date", "end_date"]
    list_filter = ["body"]


@admin.register(Meeting)
class MeetingAdmin(ModelAdmin):
    list_display = ["body", "date", "place"]


@admin.register(Deliberation)
class DeliberationAdmin(ModelAdmin):
    list_display = ["decision", "body", "matiere", "votes_for", "votes_against", "abstentions"]
    list_filter = ["body", "matiere"]
