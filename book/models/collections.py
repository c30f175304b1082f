"""Cities and sectors: small translatable collections that chapters and contributors refer to."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import DraftStateMixin, RevisionMixin, TranslatableMixin, WorkflowMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField


class CreativeField(models.TextChoices):
    """The seven creative fields of the UNESCO Creative Cities Network."""

    CRAFTS_AND_FOLK_ART = "crafts-folk-art", _("Crafts and Folk Art")
    DESIGN = "design", _("Design")
    FILM = "film", _("Film")
    GASTRONOMY = "gastronomy", _("Gastronomy")
    LITERATURE = "literature", _("Literature")
    MEDIA_ARTS = "media-arts", _("Media Arts")
    MUSIC = "music", _("Music")


class City(WorkflowMixin, DraftStateMixin, RevisionMixin, TranslatableMixin, index.Indexed, models.Model):
    """A creative city of the network that contributed to the book, one per language."""

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, allow_unicode=True)
    country = models.CharField(_("country"), max_length=255)
    creative_field = models.CharField(
        _("UNESCO creative field"), max_length=32, choices=CreativeField.choices
    )
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="city")

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("country"),
        FieldPanel("creative_field"),
    ]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("country"),
        index.FilterField("locale"),
        index.FilterField("live"),
    ]

    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("country"),
        SynchronizedField("slug"),
        SynchronizedField("creative_field"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["locale", "slug"], name="book_city_unique_slug_per_locale"),
        ]

    def __str__(self):
        return self.name

    @property
    def revisions(self):
        return self._revisions


class Sector(WorkflowMixin, DraftStateMixin, RevisionMixin, TranslatableMixin, index.Indexed, models.Model):
    """A creative sector the book covers (cinema, literature, music, digital arts), one per language."""

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("position"), default=0)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="sector")

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("locale"),
        index.FilterField("live"),
    ]

    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("description"),
        SynchronizedField("slug"),
        SynchronizedField("sort_order"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["locale", "slug"], name="book_sector_unique_slug_per_locale"),
        ]

    def __str__(self):
        return self.name

    @property
    def revisions(self):
        return self._revisions
