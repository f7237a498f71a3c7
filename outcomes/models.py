"""What changed and how sure we can be: outcome measures with baseline, follow-up and a
comparator; the inputs to each project's evidence rating; its headline outcome."""

from django.db import models
from django.db.models import Q

from outcomes.evidence import Design, Direction, Evaluator, OutcomeKind


class PupilGroup(models.TextChoices):
    ALL = "all", "All pupils"
    DISADVANTAGED = "disadvantaged", "Disadvantaged (Pupil Premium)"
    NON_DISADVANTAGED = "non_disadvantaged", "Non-disadvantaged"
    FSM = "fsm", "Free school meals"
    NON_FSM = "non_fsm", "Not free school meals"
    SEND = "send", "SEND"
    EAL = "eal", "EAL"
    BOYS = "boys", "Boys"
    GIRLS = "girls", "Girls"
    SCHOOLS = "schools", "Schools"
    TEACHERS = "teachers", "Teachers and staff"
    OTHER = "other", "Other"


class Unit(models.TextChoices):
    PERCENT = "percent", "Percent"
    PERCENTAGE_POINTS = "percentage_points", "Percentage points"
    SAS_POINTS = "sas_points", "SAS points"
    ATTAINMENT8_POINTS = "attainment8_points", "Attainment 8 points"
    PROGRESS8 = "progress8", "Progress 8 score"
    COUNT = "count", "Count"
    SCHOOLS = "schools", "Schools"
    PUPILS = "pupils", "Pupils"
    OFSTED_GRADE = "ofsted_grade", "Ofsted grade"
    DAYS = "days", "Days"
    OTHER = "other", "Other"


class ChangeUnit(models.TextChoices):
    """The unit of a change the document reports without the values on either side of it."""

    PERCENT = "percent", "Percent, as stated (not percentage points)"
    PERCENTAGE_POINTS = "percentage_points", "Percentage points"
    POINTS = "points", "Points on the measure's scale"


class ChangeDirection(models.TextChoices):
    INCREASE = "increase", "Increase"
    DECREASE = "decrease", "Decrease"


class EvidenceType(models.TextChoices):
    NATIONAL_STATISTICS = "national_statistics", "National statistics"
    STANDARDISED_ASSESSMENT = "standardised_assessment", "Standardised assessment"
    INDEPENDENT_EVALUATION = "independent_evaluation", "Independent evaluation"
    SURVEY = "survey", "Survey"
    SELF_ASSESSMENT = "self_assessment", "Self-assessment"
    INSPECTION = "inspection", "Inspection (Ofsted)"
    MONITORING_DATA = "monitoring_data", "Programme monitoring data"


class OutcomeMeasure(models.Model):
    key = models.CharField(max_length=160, unique=True)
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="outcomes")
    metric = models.CharField(max_length=300)
    subject = models.CharField(max_length=60, blank=True, db_index=True)
    phase = models.ForeignKey(
        "projects.Phase", null=True, blank=True, on_delete=models.PROTECT, related_name="outcomes"
    )
    group = models.CharField(max_length=20, choices=PupilGroup.choices, db_index=True)
    unit = models.CharField(max_length=20, choices=Unit.choices, db_index=True)
    baseline_value = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    baseline_year = models.CharField(max_length=40, blank=True)
    followup_value = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    followup_year = models.CharField(max_length=40, blank=True)
    comparator_label = models.CharField(max_length=120, blank=True)
    comparator_baseline_value = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    comparator_followup_value = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    reported_change_value = models.DecimalField(
        max_digits=14, decimal_places=3, null=True, blank=True,
        help_text="A change the document reports without its baseline and follow-up: the size, as written")
    reported_change_unit = models.CharField(max_length=20, choices=ChangeUnit.choices, blank=True)
    reported_change_direction = models.CharField(max_length=10, choices=ChangeDirection.choices, blank=True)
    reported_change_period = models.CharField(max_length=40, blank=True)
    comparator_reported_change_value = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    evidence_type = models.CharField(max_length=30, choices=EvidenceType.choices, db_index=True)
    kind = models.CharField(max_length=20, choices=OutcomeKind.choices, db_index=True, default=OutcomeKind.OTHER,
                            help_text="What the measure counts: derived from unit, evidence type and subject "
                                      "(outcomes.evidence.derive_outcome_kind) unless the fixture states it")
    note = models.TextField(blank=True, help_text="Public: what the figure covers, caveats")
    curation_note = models.TextField(blank=True, help_text="For curators only (admin, fixtures/UNRESOLVED.md): "
                                                          "how the figure was extracted or checked")
    order = models.PositiveSmallIntegerField(default=0)
    citations = models.ManyToManyField("projects.Citation", related_name="outcomes")

    class Meta:
        ordering = ["project", "order"]
        constraints = [
            # A reported change has its size, unit and direction, and is never also a baseline.
            models.CheckConstraint(
                condition=Q(reported_change_value__isnull=True, reported_change_unit="", reported_change_direction="")
                | (Q(reported_change_value__gte=0, baseline_value__isnull=True, followup_value__isnull=True)
                   & ~Q(reported_change_unit="") & ~Q(reported_change_direction="")),
                name="outcome_reported_change_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.metric

    @property
    def is_reported_change(self) -> bool:
        return self.reported_change_value is not None


class EvidenceAssessment(models.Model):
    """The curated inputs to a project's evidence rating; the rating itself is computed from them."""

    project = models.OneToOneField("projects.Project", on_delete=models.CASCADE, primary_key=True,
                                   related_name="evidence")
    design = models.CharField(max_length=30, choices=Design.choices)
    evaluator = models.CharField(max_length=20, choices=Evaluator.choices)
    evaluator_name = models.CharField(max_length=200, blank=True)
    sample_schools = models.PositiveIntegerField(null=True, blank=True)
    sample_pupils = models.PositiveIntegerField(null=True, blank=True)
    note = models.TextField(help_text="What the outcome evidence is and its limits")
    curation_note = models.TextField(blank=True, help_text="For curators only (admin, fixtures/UNRESOLVED.md): "
                                                          "how the figure was extracted or checked")
    citations = models.ManyToManyField("projects.Citation", related_name="evidence_assessments")

    def __str__(self) -> str:
        return f"Evidence of {self.project_id}: {self.get_design_display()}"


class Headline(models.Model):
    """What changed, in one line: a chosen outcome measure, its direction and a cited statement."""

    project = models.OneToOneField("projects.Project", on_delete=models.CASCADE, primary_key=True,
                                   related_name="headline")
    outcome = models.ForeignKey(OutcomeMeasure, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="headline_of")
    direction = models.CharField(max_length=20, choices=Direction.choices)
    statement = models.CharField(max_length=400)
    citations = models.ManyToManyField("projects.Citation", related_name="headlines")


    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(direction=Direction.NOT_MEASURED, outcome__isnull=True)
                | (~Q(direction=Direction.NOT_MEASURED) & Q(outcome__isnull=False)),
                name="headline_outcome_unless_not_measured",
            ),
        ]

    def __str__(self) -> str:
        return self.statement

    @property
    def statement_after_label(self) -> str:
        """The statement as shown after the direction's label ("Not measured"): without a lead-in
        that repeats the label ("Not measured: the report gives…" reads "The report gives…")."""
        label = self.get_direction_display()
        rest = self.statement
        if rest.lower().startswith(label.lower()) and not rest[len(label):len(label) + 1].isalnum():
            rest = rest[len(label):].lstrip(" :.,;–-")
        return rest[:1].upper() + rest[1:] if rest else self.statement
