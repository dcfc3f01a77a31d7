"""The community pages' forms. Services check everything again; forms turn text into values
and say what is wrong next to the field."""

from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityzero.community import eventtime
from cityzero.community.languages import LANGUAGES
from cityzero.community.models import (
    MAX_BIO,
    MAX_DESCRIPTION,
    MAX_GROUP_NAME,
    MAX_POST,
    MAX_REASON,
    MAX_SUMMARY,
    MAX_TITLE,
    Delivery,
    EventFormat,
    GroupKind,
    GroupRole,
    GroupVisibility,
    ReportReason,
)
from cityzero.community.notices import KINDS
from cityzero.community.services.events import MAX_CAPACITY, EventInput
from cityzero.core.uploads import DOCUMENTS, CheckedFileField
from cityzero.knowledge.models import Tag

MAX_QUERY = 200
MAX_FILE_BYTES = 10 * 2**20
MARKDOWN_HELP = gettext_lazy(
    "Markdown: **bold**, *italic*, lists, links and tables. Mention a member with @handle."
)


class HoneypotForm(forms.Form):
    """A field people never see (it is not displayed) and robots fill in."""

    website = forms.CharField(
        label=gettext_lazy("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website", "").strip())


# --- groups --------------------------------------------------------------------------------------


class GroupFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search for"), required=False, max_length=MAX_QUERY)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("Any kind")), *GroupKind.choices],
    )
    visibility = forms.ChoiceField(
        label=gettext_lazy("Who may join"),
        required=False,
        choices=[
            ("", gettext_lazy("Any")),
            (GroupVisibility.PUBLIC, gettext_lazy("Public")),
            (GroupVisibility.PRIVATE, gettext_lazy("Private")),
            (GroupVisibility.SECRET, gettext_lazy("Secret")),
        ],
    )
    mine = forms.BooleanField(label=gettext_lazy("Only my groups"), required=False)

    def filters(self) -> dict[str, Any]:
        """What was understood; anything else is left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "text": data.get("q", "").strip(),
            "kind": data.get("kind", ""),
            "visibility": data.get("visibility", ""),
            "mine": data.get("mine", False),
        }


class GroupForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=MAX_GROUP_NAME)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=GroupKind.choices)
    visibility = forms.ChoiceField(
        label=gettext_lazy("Who may see and join it"),
        choices=GroupVisibility.choices,
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        max_length=MAX_SUMMARY,
        help_text=gettext_lazy("One sentence, shown in the group directory."),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Markdown: what the group is for and how it works."),
    )


class NewGroupForm(GroupForm):
    owner = forms.EmailField(
        label=gettext_lazy("Owner's email address"),
        required=False,
        help_text=gettext_lazy("Someone with an account; leave empty to own the group yourself."),
    )


class AskToJoinForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Message to the moderators (optional)"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email address"))
    message = forms.CharField(
        label=gettext_lazy("Message (optional)"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=GroupRole.choices)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (goes in the moderation log)"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ModerateForm(ReasonForm):
    action = forms.ChoiceField(
        choices=[("hide", "hide"), ("restore", "restore"), ("remove", "remove")],
        widget=forms.HiddenInput,
    )


# --- discussions ---------------------------------------------------------------------------------


class DiscussionForm(HoneypotForm):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=MAX_TITLE)
    body = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=MAX_POST,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )


class ReplyForm(HoneypotForm):
    body = forms.CharField(
        label=gettext_lazy("Your reply"),
        max_length=MAX_POST,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=MARKDOWN_HELP,
    )
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("What is wrong with it?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Details"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Needed when you choose “Something else”."),
    )


# --- events --------------------------------------------------------------------------------------


class EventForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=MAX_TITLE)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Markdown."),
    )
    start_date = forms.DateField(
        label=gettext_lazy("Start date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(
        label=gettext_lazy("Start time"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_date = forms.DateField(
        label=gettext_lazy("End date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_time = forms.TimeField(
        label=gettext_lazy("End time"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"),
        initial="Europe/Brussels",
        help_text=gettext_lazy("The times above are in this zone; the event is shown in it."),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Where"), choices=EventFormat.choices, widget=forms.RadioSelect
    )
    online_url = forms.URLField(
        label=gettext_lazy("Online link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("For online and hybrid events: where people join."),
    )
    venue = forms.CharField(
        label=gettext_lazy("Venue"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("For events in person: the place and its address."),
    )
    capacity = forms.IntegerField(
        label=gettext_lazy("Places"),
        required=False,
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text=gettext_lazy("Leave empty for no limit."),
    )
    waiting_list = forms.BooleanField(
        label=gettext_lazy("When full, put people on a waiting list (otherwise refuse them)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(name, name) for name in eventtime.zone_names()]

    def _instant(self, day_field: str, time_field: str) -> datetime | None:
        day, clock = self.cleaned_data.get(day_field), self.cleaned_data.get(time_field)
        zone_name = self.cleaned_data.get("time_zone")
        if day is None or clock is None or not zone_name:
            return None
        try:
            return eventtime.instant(day, clock, zone_name)
        except eventtime.NonexistentTime:
            self.add_error(
                time_field,
                _(
                    "The clocks skip %(time)s on %(day)s in %(zone)s "
                    "(summer time begins): choose another time."
                )
                % {"time": f"{clock:%H:%M}", "day": day.isoformat(), "zone": zone_name},
            )
            return None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["starts_at"] = self._instant("start_date", "start_time")
        data["ends_at"] = self._instant("end_date", "end_time")
        return data

    def event_input(self) -> EventInput:
        data = self.cleaned_data
        return EventInput(
            title=data["title"],
            description=data["description"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            time_zone=data["time_zone"],
            format=data["format"],
            online_url=data["online_url"],
            venue=data["venue"],
            capacity=data["capacity"],
            waiting_list=data["waiting_list"],
        )

    @classmethod
    def initial_for(cls, event: Any) -> dict[str, Any]:
        start = eventtime.wall_clock(event.starts_at, event.time_zone)
        end = eventtime.wall_clock(event.ends_at, event.time_zone)
        return {
            "title": event.title,
            "description": event.description,
            "start_date": start.date(),
            "start_time": start.time().replace(tzinfo=None),
            "end_date": end.date(),
            "end_time": end.time().replace(tzinfo=None),
            "time_zone": event.time_zone,
            "format": event.format,
            "online_url": event.online_url,
            "venue": event.venue,
            "capacity": event.capacity,
            "waiting_list": event.waiting_list,
        }


# --- files ---------------------------------------------------------------------------------------


class FileForm(forms.Form):
    file = CheckedFileField(
        label=gettext_lazy("File"),
        kinds=DOCUMENTS,
        max_bytes=MAX_FILE_BYTES,
        help_text=gettext_lazy(
            "PDF, Word, Excel, OpenDocument, PNG, JPEG, CSV, text or "
            "Markdown; at most 10 MB. Only the group's members can open it."
        ),
    )
    description = forms.CharField(
        label=gettext_lazy("What it is (optional)"), required=False, max_length=MAX_SUMMARY
    )


# --- people --------------------------------------------------------------------------------------


class TagChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(
            queryset=Tag.objects.order_by("facet", "position", "name"),
            to_field_name="code",
            widget=forms.CheckboxSelectMultiple,
            required=False,
            **kwargs,
        )


class ProfileForm(forms.Form):
    visible = forms.BooleanField(
        label=gettext_lazy("Show my profile in the directory of people"),
        required=False,
        help_text=gettext_lazy(
            "Hidden, nobody but you sees it, and others cannot find you to "
            "mention you. Your name still shows on what you post."
        ),
    )
    handle = forms.CharField(
        label=gettext_lazy("Handle"),
        max_length=40,
        help_text=gettext_lazy("Others mention you in discussions with @ and this handle."),
    )
    job_title = forms.CharField(
        label=gettext_lazy("Role"),
        required=False,
        max_length=120,
        help_text=gettext_lazy("For example “Energy manager, City of Aachen”."),
    )
    bio = forms.CharField(
        label=gettext_lazy("Short bio"),
        required=False,
        max_length=MAX_BIO,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Languages"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=sorted(LANGUAGES.items(), key=lambda item: str(item[1])),
    )
    expertise = TagChoiceField(label=gettext_lazy("Expertise"))


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search for"), required=False, max_length=MAX_QUERY)
    city = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    tag = forms.ChoiceField(label=gettext_lazy("Expertise"), required=False)
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        required=False,
        choices=[
            ("", gettext_lazy("Any language")),
            *sorted(LANGUAGES.items(), key=lambda item: str(item[1])),
        ],
    )

    def __init__(self, *args, tags, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [
            ("", _("Any expertise")),
            *((tag.code, tag.name) for tag in tags),
        ]

    def filters(self) -> dict[str, str]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            key: data.get(field, "")
            for key, field in (
                ("text", "q"),
                ("city", "city"),
                ("tag", "tag"),
                ("language", "language"),
            )
        }


class TopicsForm(forms.Form):
    tags = TagChoiceField(label=gettext_lazy("Topics you follow"))


# --- notifications -------------------------------------------------------------------------------


class PreferencesForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in KINDS:
            self.fields[kind.code] = forms.ChoiceField(
                label=kind.label, choices=Delivery.choices, initial=kind.default
            )
