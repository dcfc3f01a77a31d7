"""The Knowledge Repository's forms: search parameters, contributions, comments, moderation."""

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityzero.cities.models import MISSION_CITY_STATUSES, City
from cityzero.core.markdown import MAX_COMMENT
from cityzero.core.uploads import DOCUMENTS, CheckedFileField
from cityzero.knowledge.models import Entry, EntryKind, EntryStatus, Language, Tag
from cityzero.knowledge.selectors import SORTS, Filters, tags_by_facet
from cityzero.knowledge.services import MAX_FILES, MAX_LINKS, MAX_TAGS

MAX_QUERY = 500
MAX_PAGE = 10_000
MAX_FILE_BYTES = 10 * 2**20
FILE_HELP = gettext_lazy(
    "PDF, Word, Excel, OpenDocument, PNG, JPEG, CSV, text or Markdown; at most 10 MB each and "
    "10 files per entry. Everyone who may read the entry may download them."
)

# --- search ---------------------------------------------------------------------------------------


@dataclass
class SearchInput:
    filters: Filters
    notices: list[str] = field(default_factory=list)  # what was not understood, in words


def search_input(params: QueryDict, *, known_tags: frozenset[str]) -> SearchInput:
    """The filters a query string asks for; whatever is not understood is left out and said."""
    notices: list[str] = []
    text = params.get("q", "").strip()
    if len(text) > MAX_QUERY:
        text = text[:MAX_QUERY]
        notices.append(
            _("Only the first %(n)s characters of your search were used.") % {"n": MAX_QUERY}
        )
    codes = list(dict.fromkeys(code.strip() for code in params.getlist("tag") if code.strip()))
    unknown = [code for code in codes if code not in known_tags]
    for code in unknown[:3]:
        notices.append(_("There is no tag “%(code)s”; it was left out.") % {"code": code[:40]})
    tags = tuple(code for code in codes if code in known_tags)
    if len(tags) > MAX_TAGS:
        tags = tags[:MAX_TAGS]
        notices.append(_("Only the first %(n)s tags were used.") % {"n": MAX_TAGS})
    kind = params.get("type", "")
    if kind not in EntryKind.values:
        if kind:
            notices.append(
                _("There is no type “%(kind)s”; all types are shown.") % {"kind": kind[:40]}
            )
        kind = ""
    language = params.get("language", "")
    if language not in Language.values:
        if language:
            notices.append(
                _("There is no language “%(code)s”; all languages are shown.")
                % {"code": language[:10]}
            )
        language = ""
    sort = params.get("sort", "relevance")
    sort = sort if sort in SORTS else "relevance"
    try:
        page = min(max(1, int(params.get("page", "1"))), MAX_PAGE)
    except ValueError:
        page = 1
    return SearchInput(Filters(text, tags, kind, language, sort, page), notices)


def query_string(filters: Filters, **changes) -> str:
    """The search's query string, without the page; ``changes`` replace parts (None drops one)."""
    parts = {"q": filters.text, "tag": list(filters.tags), "type": filters.kind,
             "language": filters.language,
             "sort": filters.sort if filters.sort != "relevance" else ""}  # fmt: skip
    parts.update({key: value for key, value in changes.items()})
    query = QueryDict(mutable=True)
    for key, value in parts.items():
        if isinstance(value, list):
            query.setlist(key, value)
        elif value:
            query[key] = value
    return query.urlencode()


# --- contributions --------------------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class CheckedFilesField(CheckedFileField):
    """Several files at once, each checked by its content; cleans to a list of uploads."""

    def __init__(self, **kwargs) -> None:
        super().__init__(widget=MultipleFileInput(), **kwargs)

    def clean(self, data, initial=None):
        uploads = [
            upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload
        ]
        if len(uploads) > MAX_FILES:
            raise forms.ValidationError(
                _("Choose at most %(n)s files at a time.") % {"n": MAX_FILES}
            )
        cleaned, errors = [], []
        for upload in uploads:
            try:
                cleaned.append(super().clean(upload, initial))
            except forms.ValidationError as error:
                errors.extend(f"“{upload.name}”: {message}" for message in error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


URL = URLValidator(schemes=["http", "https"])


def parse_links(text: str) -> list[tuple[str, str]]:
    """One address per line, optionally followed by a space and a label."""
    links, errors = [], []
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_LINKS:
        raise forms.ValidationError(_("Give at most %(n)s links.") % {"n": MAX_LINKS})
    for number, line in enumerate(lines, start=1):
        url, _space, label = line.partition(" ")
        try:
            if len(url) > 500:
                raise forms.ValidationError("too long")
            URL(url)
        except forms.ValidationError:
            errors.append(
                _("Line %(n)s: “%(url)s” is not a web address starting with http:// or https://.")
                % {"n": number, "url": url[:80]}
            )
            continue
        links.append((url, label.strip()[:200]))
    if errors:
        raise forms.ValidationError(errors)
    return links


class EntryForm(forms.ModelForm):
    """An entry as its contributor writes it; staff curating use the same form."""

    tags = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Tags"),
        queryset=Tag.objects.all(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Choose 1 to 12 tags that say what the entry is about."),
    )
    cities = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Cities involved"),
        queryset=City.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=gettext_lazy(
            "Mission cities the entry is about. Hold Ctrl (⌘ on a Mac) to choose several."
        ),
    )
    links_text = forms.CharField(
        label=gettext_lazy("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Up to 10 web addresses, one per line, each optionally followed by a space and a "
            "label, e.g. “https://example.org/report.pdf Final report”."
        ),
    )
    files = CheckedFilesField(
        label=gettext_lazy("Files"),
        kinds=DOCUMENTS,
        max_bytes=MAX_FILE_BYTES,
        required=False,
        help_text=FILE_HELP,
    )

    class Meta:
        model = Entry
        fields = ["title", "summary", "body", "kind", "language", "year", "organisation",
                  "licence", "tags", "cities"]  # fmt: skip
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 14}),
        }
        help_texts = {
            "summary": gettext_lazy("Two or three sentences: what it is and who it helps."),
            "body": gettext_lazy(
                "Markdown: **bold**, *italic*, lists, [links](https://example.org), tables. "
                "At most 50,000 characters."
            ),
            "licence": gettext_lazy("E.g. CC BY 4.0, or “All rights reserved”."),
        }

    def __init__(self, *args, moderator: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        entry = self.instance
        cities = City.objects.filter(mission_status__in=MISSION_CITY_STATUSES)
        if entry.pk is not None:
            cities = cities | City.objects.filter(pk__in=entry.cities.values("pk"))
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput)
            self.fields["remove_files"] = forms.ModelMultipleChoiceField(
                label=_("Remove files"),
                queryset=entry.files.all(),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields["files"].label = _("Add files")
            if not self.is_bound:
                self.initial["version"] = entry.version
                self.initial["links_text"] = "\n".join(
                    f"{link.url} {link.label}".strip() for link in entry.links.all()
                )
        elif moderator:
            self.fields["publish"] = forms.BooleanField(
                label=_("Publish at once, without moderation"), required=False
            )
        self.fields["cities"].queryset = cities.distinct().order_by("name")
        self.fields["year"].widget.attrs.update({"min": 1990, "max": 2100})

    def tag_groups(self) -> list[tuple[Any, list[tuple[Tag, bool]]]]:
        """The tags by facet, each with whether it is ticked."""
        chosen = {str(code) for code in self["tags"].value() or []}
        return [(facet, [(tag, tag.code in chosen) for tag in tags])
                for facet, tags in tags_by_facet()]  # fmt: skip

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(_("Choose at most %(n)s tags.") % {"n": MAX_TAGS})
        return tags

    def clean_links_text(self) -> list[tuple[str, str]]:
        return parse_links(self.cleaned_data["links_text"])


class CommentForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your comment"),
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Markdown. Everyone who reads the entry reads your comment."),
    )


class ModerationForm(forms.Form):
    DECISIONS = [("approve", gettext_lazy("Approve")),
                 ("changes", gettext_lazy("Request changes")),
                 ("reject", gettext_lazy("Reject"))]  # fmt: skip

    entry = forms.ModelChoiceField(queryset=Entry.objects.filter(status=EntryStatus.PENDING))
    decision = forms.ChoiceField(choices=DECISIONS)
    note = forms.CharField(required=False, max_length=5000)

    def clean(self):
        data = super().clean()
        if data.get("decision") in {"changes", "reject"} and not data.get("note", "").strip():
            self.add_error("note", _("Tell the contributor why: what to change, or why not."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Entries file"),
        help_text=_(
            "CSV or JSON in the layout of the export, up to 10 MB. Entries are published; a row "
            "whose slug exists updates that entry."
        ),
    )
