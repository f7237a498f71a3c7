"""What projects cost: the cells of the documents' cost tables and the totals they state."""

from django.db import models
from django.db.models import F, Q

from costs.figures import CountedPer, CountUnit, MoneyBasis


class CostCategory(models.TextChoices):
    STAFFING = "staffing", "Staffing"
    TRAINING = "training", "Training"
    RESOURCES = "resources", "Resources"
    SCHOOL_GRANTS = "school_grants", "School grants"
    MANAGEMENT = "management", "Management"
    EVALUATION = "evaluation", "Evaluation"
    OTHER = "other", "Other"


class FundingSource(models.TextChoices):
    OA = "oa", "Opportunity Area"
    MATCH_FUNDING = "match_funding", "Match funding"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    SCHOOL = "school", "Schools"
    OTHER = "other", "Other"
    MIXED = "mixed", "OA and match funding (not split)"


class CostLine(models.Model):
    """One cell of a cost table: a row label, a period column and the amount in it."""

    key = models.CharField(max_length=160, unique=True)
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="cost_lines")
    table = models.CharField(max_length=200, help_text="The table or paragraph, as the document labels it")
    description = models.CharField(max_length=300, help_text="The row label as written")
    category = models.CharField(max_length=20, choices=CostCategory.choices, db_index=True)
    period_label = models.CharField(max_length=120, blank=True, help_text="The period as written")
    start_year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2, help_text="GBP, as written")
    funding_source = models.CharField(max_length=20, choices=FundingSource.choices, db_index=True)
    order = models.PositiveSmallIntegerField(default=0)
    citations = models.ManyToManyField("projects.Citation", related_name="cost_lines")

    class Meta:
        ordering = ["project", "order"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="cost_line_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(start_year__isnull=True)
                | Q(end_year__gte=F("start_year")),
                name="cost_line_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description} ({self.period_label}): £{self.amount}"


class TotalKind(models.TextChoices):
    TOTAL = "total", "Total"
    PER_SCHOOL = "per_school", "Per school"
    PER_PUPIL = "per_pupil", "Per pupil"
    PER_BENEFICIARY = "per_beneficiary", "Per beneficiary"
    PER_SCHOOL_MIN = "per_school_min", "Per school (lowest)"
    PER_SCHOOL_MAX = "per_school_max", "Per school (highest)"
    PER_SCHOOL_MEAN = "per_school_mean", "Per school (mean)"


class CostTotal(models.Model):
    """A total or per-beneficiary figure the document itself states (a reported figure).

    `scope` names which lines of the same table a total covers (period, category, description,
    funding_source); the loader checks that those lines add up to it.
    """

    key = models.CharField(max_length=160, unique=True)
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="cost_totals")
    table = models.CharField(max_length=200)
    label = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=TotalKind.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    period_label = models.CharField(max_length=120, blank=True)
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)
    scope = models.JSONField(default=dict, blank=True)
    checked_lines = models.PositiveSmallIntegerField(
        default=0, help_text="How many lines the loader summed to check this total (0: unchecked)"
    )
    discrepancy = models.TextField(
        blank=True, help_text="Where the source's own lines do not add up to its stated total: what differs"
    )
    order = models.PositiveSmallIntegerField(default=0)
    citations = models.ManyToManyField("projects.Citation", related_name="cost_totals")

    class Meta:
        ordering = ["project", "order"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="cost_total_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.label}: £{self.amount}"


class CostBasis(models.Model):
    """The money a project's per-beneficiary figures divide, and whom and when it pays for."""

    project = models.OneToOneField("projects.Project", on_delete=models.CASCADE, primary_key=True,
                                   related_name="cost_basis")
    basis = models.CharField(max_length=10, choices=MoneyBasis.choices)
    periods = models.JSONField(default=list, blank=True, help_text="Period labels the money is limited to")
    covers = models.CharField(max_length=300, help_text="The people and period the money pays for")
    cohorts = models.CharField(max_length=60, blank=True)
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)
    curation_note = models.TextField(blank=True, help_text="For curators only (admin, fixtures/UNRESOLVED.md): "
                                                          "how the figure was extracted or checked")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=F("start_year")), name="cost_basis_end_not_before_start"),
        ]

    def __str__(self) -> str:
        return f"Money of {self.project_id}: {self.covers}"


class CostCount(models.Model):
    """A count of schools or pupils that money may be divided by, with what it covers."""

    key = models.CharField(max_length=160, unique=True)
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="cost_counts")
    unit = models.CharField(max_length=10, choices=CountUnit.choices)
    count = models.PositiveIntegerField()
    per = models.CharField(max_length=10, choices=CountedPer.choices)
    covers = models.CharField(max_length=300)
    cohorts = models.CharField(max_length=60, blank=True)
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()
    qualifier = models.CharField(max_length=10, blank=True)
    check_against = models.CharField(max_length=300, blank=True,
                                     help_text="The label of the document's own per-beneficiary figure")
    difference = models.TextField(blank=True, help_text="Why the derived figure differs from the document's")
    order = models.PositiveSmallIntegerField(default=0)
    citations = models.ManyToManyField("projects.Citation", related_name="cost_counts")

    class Meta:
        ordering = ["project", "order"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gt=0), name="cost_count_above_zero"),
            models.CheckConstraint(condition=Q(end_year__gte=F("start_year")), name="cost_count_end_not_before_start"),
        ]

    def __str__(self) -> str:
        return f"{self.count} {self.unit} ({self.covers})"
