"""The Knowledge Repository: entries under tags, collections, comments, bookmarks.

Entries are searched through ``knowledge.search``, which keeps its own index table per database
(SQLite FTS5 or PostgreSQL tsvector + GIN) of the entries' stemmed text.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityzero.core.models import StoredFile
from cityzero.knowledge.taxonomy import Facet

MAX_BODY = 50_000  # characters of Markdown


class Tag(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    facet = models.CharField(_("facet"), max_length=10, choices=Facet.choices)
    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["facet", "position", "name"]

    def __str__(self) -> str:
        return self.name


class EntryKind(models.TextChoices):
    CASE_STUDY = "case_study", _("Case study")
    GUIDE = "guide", _("Guide")
    TOOL = "tool", _("Tool")
    REPORT = "report", _("Report")
    DATASET = "dataset", _("Dataset")
    TRAINING = "training", _("Training or webinar")
    FUNDING = "funding", _("Funding opportunity")
    EVENT = "event", _("Event")


class Language(models.TextChoices):
    """Languages whose words the search stems (Snowball); others are matched as written."""

    ENGLISH = "en", _("English")
    GERMAN = "de", _("German")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    ITALIAN = "it", _("Italian")
    DUTCH = "nl", _("Dutch")
    PORTUGUESE = "pt", _("Portuguese")
    SWEDISH = "sv", _("Swedish")
    DANISH = "da", _("Danish")
    FINNISH = "fi", _("Finnish")
    GREEK = "el", _("Greek")
    HUNGARIAN = "hu", _("Hungarian")
    ROMANIAN = "ro", _("Romanian")
    LITHUANIAN = "lt", _("Lithuanian")
    POLISH = "pl", _("Polish")
    CZECH = "cs", _("Czech")
    OTHER = "xx", _("Other")


class EntryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    CHANGES_REQUESTED = "changes", _("Changes requested")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


class Entry(models.Model):
    title = models.CharField(_("title"), max_length=200)
    title_key = models.CharField(max_length=200, db_index=True, editable=False)  # search.title_key
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.TextField(_("summary"), max_length=1000)
    body = models.TextField(_("body"), max_length=MAX_BODY, blank=True, help_text=_("Markdown."))
    body_html = models.TextField(blank=True)  # rendered once on save, sanitised
    kind = models.CharField(_("type"), max_length=12, choices=EntryKind.choices)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )  # fmt: skip
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    licence = models.CharField(_("licence"), max_length=100, blank=True)
    cities = models.ManyToManyField(
        "cities.City", verbose_name=_("cities involved"), blank=True, related_name="knowledge"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), related_name="entries")
    status = models.CharField(
        _("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.PENDING
    )
    moderation_note = models.TextField(_("note from the moderators"), blank=True)
    contributor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="contributions",
    )  # fmt: skip
    illustrative = models.BooleanField(
        _("illustrative content"), default=False,
        help_text=_("Written for the demonstration, not a real resource."),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name_plural = _("entries")
        indexes = [models.Index(fields=["status", "kind"], name="entry_status_kind")]

    def __str__(self) -> str:
        return self.title


class EntryLink(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(_("address"), max_length=500)
    label = models.CharField(_("label"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label or self.url


class EntryFile(StoredFile):
    """A document attached to an entry."""

    UPLOAD_FOLDER = "knowledge"

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="files")


class Collection(models.Model):
    """A curated selection ("Focus on: Financing", "Quick Reads"), kept by staff."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description = models.TextField(_("description"), blank=True)
    entries = models.ManyToManyField(Entry, through="CollectionItem", related_name="collections")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "entry"], name="entry_once_per_collection"
            )
        ]

    def __str__(self) -> str:
        return f"{self.collection}: {self.entry_id}"


class EntryComment(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=5000)
    body_html = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.entry_id}"


class Bookmark(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "entry"], name="one_bookmark")]

    def __str__(self) -> str:
        return f"{self.user_id} ♥ {self.entry_id}"


class SearchDocument(models.Model):
    """An entry's words as the search index keeps them (stemmed, folded: see ``search``).

    The database indexes this table itself: on SQLite an FTS5 table kept in step by triggers, on
    PostgreSQL a generated ``tsvector`` column with a GIN index (migration 0002).
    """

    entry = models.OneToOneField(
        Entry, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    title = models.TextField()
    summary = models.TextField()
    body = models.TextField()

    def __str__(self) -> str:
        return f"Search document of {self.entry_id}"
