"""Areas, projects and everything that describes them, with the sources they came from.

All rows are written by `load_evidence` from the curated fixtures; curators may inspect them in
the admin. Each curated record has a `key` that is stable across loads, so loading the same
fixtures twice leaves the same rows.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Case, F, Q, When
from django.db.models.functions import Lower
from django.urls import reverse

from core.paths import slug_path
from projects.querysets import CitationQuerySet, ProjectQuerySet, ThemeQuerySet


class SourceKind(models.TextChoices):
    INSIGHT_GUIDE = "insight_guide", "Insight guide"
    EVALUATION_REPORT = "evaluation_report", "Evaluation report"
    PROJECT_REPORT = "project_report", "Project report"
    LOCAL_AUTHORITY_REPORT = "local_authority_report", "Local authority report"
    OA_FINAL_REPORT = "oa_final_report", "OA final report"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"
    UNKNOWN = "unknown", "Unknown"


class Source(models.Model):
    key = models.CharField(max_length=64, unique=True, help_text="The seed file name, without .txt")
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200)
    published = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=10, choices=DatePrecision.choices)
    kind = models.CharField(max_length=30, choices=SourceKind.choices)
    url = models.URLField(blank=True, help_text="The original publication's address, only where the document gives it")
    url_quote = models.TextField(blank=True, help_text="Where the document gives that address, verbatim")
    reference = models.CharField(max_length=60, blank=True, help_text="The publication's own reference, as written")
    summary = models.TextField(blank=True)
    text = models.TextField(help_text="Full text, against which every quote is checked")

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("source-detail", args=[self.key])

    @property
    def url_label(self) -> str:
        """The address as the document writes it, without http(s)://."""
        return self.url.split("://", 1)[-1]

    @property
    def published_label(self) -> str:
        if self.published is None:
            return "Date not stated"
        formats = {"day": "%-d %B %Y", "month": "%B %Y", "year": "%Y"}
        return self.published.strftime(formats.get(self.date_precision, "%Y"))


class Citation(models.Model):
    """A verbatim quote from a source document, with where in it the quote stands."""

    key = models.CharField(max_length=40, unique=True, help_text="Hash of source, locator and quote")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="citations")
    locator = models.CharField(max_length=300, help_text="Section or table, as the document names it")
    quote = models.TextField()
    footnote_marks = models.JSONField(default=list, blank=True,
                                      help_text="Footnote numbers the PDF's text glued to the quote's words "
                                                "(['17'] for 'skills17'); pages show them as marks")

    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["source__key", "id"]

    def __str__(self) -> str:
        return f"{self.source.key}: {self.locator}"


class AreaKind(models.TextChoices):
    OPPORTUNITY_AREA = "opportunity_area", "Opportunity Area"
    LOCAL_AUTHORITY = "local_authority", "Local authority (outside the programme)"
    UNSPECIFIED = "unspecified", "Area not named"


class Area(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=AreaKind.choices)
    region = models.CharField(max_length=80, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_path("area-detail", self.slug)

    @property
    def outside_programme(self) -> bool:
        return self.kind == AreaKind.LOCAL_AUTHORITY

    @property
    def label(self) -> str:
        return self.label_of(self.name, self.kind)

    @staticmethod
    def label_of(name: str, kind: str) -> str:
        """The name as lists show it, saying when an area is outside the Opportunity Areas programme."""
        return f"{name} (outside the OA programme)" if kind == AreaKind.LOCAL_AUTHORITY else name

    @staticmethod
    def programme_order():
        """Opportunity Areas first, then areas outside the programme, then the unnamed area."""
        return Case(When(kind=AreaKind.OPPORTUNITY_AREA, then=0), When(kind=AreaKind.LOCAL_AUTHORITY, then=1),
                    default=2)


class FigureUnit(models.TextChoices):
    MONEY = "money", "£"
    PUPILS = "pupils", "Pupils"
    SCHOOLS = "schools", "Schools"
    SETTINGS = "settings", "Early years settings"
    PEOPLE = "people", "People"
    PROJECTS = "projects", "Projects"
    PERCENT = "percent", "Percent"
    COUNT = "count", "Count"


class Qualifier(models.TextChoices):
    """How the document qualifies a figure ("about 3,500", "over 600"), so the site says so too."""

    ABOUT = "about", "about"
    OVER = "over", "over"
    UP_TO = "up_to", "up to"
    AT_LEAST = "at_least", "at least"


class AreaFigure(models.Model):
    """A programme-level figure that belongs to an area, not to one of its projects."""

    key = models.CharField(max_length=160, unique=True)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="figures")
    label = models.CharField(max_length=300, help_text="What the figure counts, in the document's words")
    value = models.DecimalField(max_digits=16, decimal_places=2)
    unit = models.CharField(max_length=12, choices=FigureUnit.choices)
    qualifier = models.CharField(max_length=10, choices=Qualifier.choices, blank=True)
    period_label = models.CharField(max_length=120, blank=True)
    note = models.TextField(blank=True, help_text="Public: what the figure covers, caveats")
    curation_note = models.TextField(blank=True, help_text="For curators only (admin, fixtures/UNRESOLVED.md): "
                                                          "how the figure was extracted or checked")
    order = models.PositiveSmallIntegerField(default=0)
    citations = models.ManyToManyField(Citation, related_name="area_figures")

    class Meta:
        ordering = ["area", "order"]
        constraints = [models.CheckConstraint(condition=Q(value__gte=0), name="area_figure_value_not_negative")]

    def __str__(self) -> str:
        return f"{self.area}: {self.label}"


class Theme(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children",
        help_text="The broader theme this one belongs to (Phonics is part of Literacy); one level only")

    objects = ThemeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_path("theme-detail", self.slug)


class Phase(models.Model):
    slug = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=60)
    order = models.PositiveSmallIntegerField()
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_path("phase-detail", self.slug)


class OrganisationKind(models.TextChoices):
    MAT = "mat", "Multi-academy trust"
    CHARITY = "charity", "Charity"
    UNIVERSITY = "university", "University"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    NHS_TRUST = "nhs_trust", "NHS trust"
    TEACHING_SCHOOL = "teaching_school", "Teaching school or hub"
    MATHS_HUB = "maths_hub", "Maths Hub"
    COMPANY = "company", "Company"
    SCHOOL = "school", "School or college"
    GOVERNMENT = "government", "Government"
    OTHER = "other", "Other"


class Organisation(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    key = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=300)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="projects")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    summary = models.TextField()
    problem = models.TextField(blank=True)
    activities = models.TextField(blank=True)
    start_year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    schools_reached = models.PositiveIntegerField(null=True, blank=True)
    pupils_reached = models.PositiveIntegerField(null=True, blank=True)
    reach_note = models.CharField(max_length=300, blank=True)
    reach_curation_note = models.TextField(blank=True, help_text="For curators only (admin, fixtures/UNRESOLVED.md): "
                                                                "how the reach figures were extracted or checked")
    themes = models.ManyToManyField(Theme, related_name="projects")
    phases = models.ManyToManyField(Phase, related_name="projects")
    organisations = models.ManyToManyField(
        Organisation, through="ProjectOrganisation", related_name="projects"
    )
    citations = models.ManyToManyField(Citation, related_name="projects")
    reach_citations = models.ManyToManyField(Citation, related_name="reach_of_projects")
    # Everything searchable in one column: the SQLite fallback searches it, and on
    # PostgreSQL the loader builds search_vector (GIN-indexed) from it.
    search_document = models.TextField(blank=True)
    search_vector = SearchVectorField(null=True, blank=True)
    # The names a misspelt word is matched against on PostgreSQL (trigram-indexed): title, themes,
    # programmes and organisations.
    search_names = models.TextField(blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        # A list filtered by area is sorted by title: one index serves both, so a page of the
        # first twenty needs no walk through every title.
        indexes = [models.Index(fields=["title"]), models.Index(fields=["area", "title"], name="project_area_title")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(start_year__isnull=True)
                | Q(end_year__gte=F("start_year")),
                name="project_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return slug_path("project-detail", self.slug)

    @property
    def years_label(self) -> str:
        return self.years_label_of(self.start_year, self.end_year)

    @staticmethod
    def years_label_of(start_year: int | None, end_year: int | None) -> str:
        if start_year and end_year and end_year != start_year:
            return f"{start_year}–{end_year}"
        if start_year and not end_year:
            return f"{start_year} onwards (end year unknown)"
        return str(start_year or end_year or "Years not stated")


class OrganisationRole(models.TextChoices):
    LEAD = "lead", "Lead"
    DELIVERY_PARTNER = "delivery_partner", "Delivery partner"
    EVALUATOR = "evaluator", "Evaluator"
    FUNDER = "funder", "Funder"


class ProjectOrganisation(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="roles")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=OrganisationRole.choices)

    class Meta:
        ordering = ["role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation", "role"], name="unique_project_organisation_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()}) on {self.project}"


class Delivery(models.TextChoices):
    UNIVERSAL = "universal", "Universal"
    TARGETED = "targeted", "Targeted"
    UNKNOWN = "unknown", "Not stated"


class Intervention(models.Model):
    """A named programme used inside a project (Accelerated Reader, Bedrock Vocabulary…)."""

    key = models.CharField(max_length=160, unique=True)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="interventions")
    name = models.CharField(max_length=200, db_index=True)
    provider = models.CharField(max_length=200, blank=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    citations = models.ManyToManyField(Citation, related_name="interventions")

    class Meta:
        ordering = ["project", "order"]
        # Similar projects match programme names in any case (web/similar.py SIMILAR_SQL).
        indexes = [models.Index(Lower("name"), name="intervention_lower_name")]

    def __str__(self) -> str:
        return self.name


class FindingKind(models.TextChoices):
    KEY_INGREDIENT = "key_ingredient", "Key ingredient"
    LESSON = "lesson", "Lesson"
    CHALLENGE = "challenge", "Challenge"
    SUSTAINABILITY = "sustainability", "Sustainability"
    BENEFIT = "benefit", "Benefit"
    GOOD_PRACTICE = "good_practice", "Good practice"
    DO_DIFFERENTLY = "do_differently", "What to do differently"
    RECOMMENDATION = "recommendation", "Recommendation"
    METHODOLOGY = "methodology", "Methodology"
    CONTEXT = "context", "Context"


class Finding(models.Model):
    key = models.CharField(max_length=160, unique=True)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=20, choices=FindingKind.choices, db_index=True)
    title = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)
    citations = models.ManyToManyField(Citation, related_name="findings")

    class Meta:
        ordering = ["project", "order"]

    def __str__(self) -> str:
        return self.title or self.text[:60]


class ProjectFigures(models.Model):
    """A project's derived figures, stored by `finish_load()` after every load (web/loading).

    Stored (not computed per request) so lists of thousands of projects can filter and sort on
    them with indexes. The rules live in costs/figures.py and outcomes/evidence.py.
    """

    project = models.OneToOneField(Project, on_delete=models.CASCADE, primary_key=True, related_name="stored_figures")
    line_count = models.PositiveIntegerField(default=0)
    total_cost = models.DecimalField(max_digits=16, decimal_places=2, null=True, db_index=True)
    oa_cost = models.DecimalField(max_digits=16, decimal_places=2, null=True)
    match_funding = models.DecimalField(max_digits=16, decimal_places=2, null=True)
    duration_years = models.PositiveSmallIntegerField(null=True)
    cost_per_school = models.DecimalField(max_digits=16, decimal_places=2, null=True)
    cost_per_pupil = models.DecimalField(max_digits=16, decimal_places=2, null=True, db_index=True)
    cost_per_pupil_per_year = models.DecimalField(max_digits=16, decimal_places=2, null=True)
    cost_band = models.CharField(max_length=12, blank=True, db_index=True)
    # Every figure's value, formula, inputs and (when it has no value) the reason, as
    # costs.figures.Figure.as_json() gives them: what pages, the API and CSV show.
    workings = models.JSONField(default=dict)
    # Copied from outcomes (the rating its rubric computes, the headline's direction) so lists can
    # filter and sort on them with indexes.
    evidence_rating = models.PositiveSmallIntegerField(null=True, db_index=True)
    headline_direction = models.CharField(max_length=20, blank=True, db_index=True)
    has_comparator_outcome = models.BooleanField(default=False, db_index=True)
    comparator_coverage = models.CharField(
        max_length=20, blank=True, db_index=True,
        help_text="before_and_after: some outcome measure has a comparator value at baseline and at follow-up; "
                  "one_point: some measure has one at one point, none at both; blank: no comparator value "
                  "(outcomes.figures.comparator_coverage).")
    # What was measured: the distinct kinds of the project's outcome measures (outcomes.OutcomeKind
    # values, strongest first), the "what" beside the design's "how" in the rating box.
    outcome_kinds = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"Figures of {self.project_id}"


class FacetValue(models.Model):
    """One value the search page's facets count (an area, a theme, a cost band, a start year…),
    with its label, its place in its facet and the projects that have it, stored by every load
    (web/facets.py)."""

    facet = models.CharField(max_length=40)
    value = models.CharField(max_length=120)
    label = models.CharField(max_length=300)
    parent = models.CharField(max_length=120, blank=True, help_text="A sub-theme's broader theme (its slug)")
    position = models.PositiveIntegerField(help_text="Its place in the facet's own order")
    projects = models.BinaryField(help_text="The projects with this value: a bitmap, bit n for the project with "
                                            "id n (little-endian), so a count is one AND and a popcount")

    class Meta:
        ordering = ["facet", "position"]
        constraints = [models.UniqueConstraint(fields=["facet", "value"], name="facet_value_unique")]

    def __str__(self) -> str:
        return f"{self.facet}: {self.label}"
