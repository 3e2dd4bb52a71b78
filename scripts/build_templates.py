"""Build the national pack's templates: one layout per document, written as Word AND HTML.

    python scripts/build_templates.py            # writes forms/national/templates/*.docx|*.html

Each document is described once (the LAYOUTS below) as a list of blocks — headings,
paragraphs, label/value tables, loop tables, lists, evaluation QR codes, signatures —
whose contents are Jinja snippets over the context of :func:`sipdocs.build_context`.
The same description is emitted as a docxtpl Word template (every tag typed into ONE run,
``{%p %}``/``{%tr %}`` for structure, repeating table header rows, Word styles) and as a
Jinja HTML template (semantic headings and tables for PDF/UA). So both formats carry
the same sections in the same order, and no fixed text lives in a template: all of it
comes from the catalogues (``t.*``).

The generated files are ordinary templates: a municipality may open the .docx in Word
or the .html in an editor and change them; this script is only how the national ones
were made.
"""

from __future__ import annotations

import html as _html
import io
import itertools
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterable, Sequence, Union

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "forms" / "national" / "templates"


# --- the layout vocabulary ------------------------------------------------------------------

def v(expr: str) -> str:
    """A value: prints nothing for None (never the word 'None')."""
    return "{{ (%s) if (%s) is not none else '' }}" % (expr, expr)


def staff(p: str) -> str:
    """One line for a member of staff (name, title, organisation, unit, principal, phone, e-mail, address)."""
    return ("{{ [%(p)s.name, %(p)s.title, %(p)s.organisation, %(p)s.unit, %(p)s.principal_label, "
            "%(p)s.phone, %(p)s.email | mailto, %(p)s.address] | select | join_isolated(', ') }}" % {"p": p})


@dataclass
class B:
    """Bold run (labels)."""
    text: str


Run = Union[str, B]


@dataclass
class H1:
    text: str


@dataclass
class H2:
    text: str


@dataclass
class P:
    runs: Sequence[Run]
    style: str = "Normal"


@dataclass
class Text:
    """A long text value (line breaks kept)."""
    expr: str


@dataclass
class If:
    cond: str
    blocks: Sequence["Block"]


@dataclass
class Fields:
    """Label/value rows; a row with a condition is shown only when it holds."""
    rows: Sequence[tuple[str, str] | tuple[str, str, str]]


@dataclass
class Col:
    """A table column: its header, its cell (a snippet over the loop variable), its width
    relative to the other columns, and ``when``: the row fields that fill it. A column with
    ``when`` is printed only if some row has one of those fields, so no table has a column
    that is empty in every row."""
    header: str
    cell: str
    weight: float = 1.0
    when: Sequence[str] = ()


@dataclass
class Table:
    """A data table: one row per item of ``loop`` ("g in guardians"), a header row."""
    loop: str
    cols: Sequence[Col]

    @property
    def items(self) -> str:
        return self.loop.split(" in ", 1)[1].strip()

    def variants(self, tag: str) -> tuple[list[str], list[tuple[str, list[Col]]]]:
        """The ``set`` statements naming which optional columns have content, and
        (condition, columns) for every combination, the one with most columns first.
        ``tag`` makes the variable names unique within a template."""
        optional = [c for c in self.cols if c.when]
        names = [f"{tag}_{i}" for i in range(len(optional))]
        sets = [f"set {name} = " + " or ".join(f"{self.items} | selectattr('{field}') | list" for field in col.when)
                for name, col in zip(names, optional)]
        out = []
        for shown in itertools.product((True, False), repeat=len(optional)):
            on = {id(col) for col, flag in zip(optional, shown) if flag}
            cond = " and ".join(name if flag else f"not {name}" for name, flag in zip(names, shown)) or "true"
            out.append((cond, [c for c in self.cols if not c.when or id(c) in on]))
        return sets, out


def _branch(n: int, count: int, cond: str) -> str:
    """The Jinja statement opening variant ``n`` of ``count``."""
    return f"if {cond}" if n == 0 else "else" if n == count - 1 else f"elif {cond}"


TEXT_WIDTH_MM = 170  # A4 less 20 mm margins


def shares(cols: Sequence[Col]) -> list[float]:
    """Each column's share of the table width (the weights, normalised)."""
    total = sum(c.weight for c in cols)
    return [c.weight / total for c in cols]


@dataclass
class Bullets:
    loop: str
    item: str
    css: str = ""  # HTML class, e.g. "columns": a long list of short items in two columns


@dataclass
class Evaluation:
    pass


@dataclass
class Together:
    """Blocks kept on one page where they fit (a closing statement and its signature)."""
    blocks: Sequence["Block"]


@dataclass
class Checkboxes:
    """A list of choices: "☒/☐ label" in Word, real check boxes (form fields) in the PDF."""
    loop: str
    name: str       # field name expression
    checked: str    # condition
    label: str      # label expression
    title: str = "" # the field's accessible name (default: the label); read back by sipdocs


@dataclass
class SignatureFields:
    """Consent signatures: in the PDF each person gets fillable name and date fields."""
    loop: str
    name: str
    role: str


@dataclass
class Signatures:
    loop: str
    name: str
    role: str


Block = Union[H1, H2, P, Text, If, Fields, Table, Bullets, Evaluation, Together, Signatures, Checkboxes,
              SignatureFields]


def para(*runs: Run) -> P:
    return P(list(runs))


def label_line(label: str, value: str) -> P:
    return P([B(label + ": "), value])


# --- reusable sections ------------------------------------------------------------------------

def contact(p: str, key: str) -> str:
    """Address/phone of a family member, or 'contact via the convener' when protected."""
    return ("{%% if %(p)s.protected %%}{{ %(p)s.contact_note }}{%% else %%}%(val)s{%% endif %%}"
            % {"p": p, "val": v(f"{p}.{key}")})


def contact_lines(p: str, keys: Sequence[str] = ("phone", "email", "address")) -> str:
    """Phone, e-mail (a link) and address in one cell, a line each."""
    values = ", ".join(f"{p}.{k} | mailto" if k == "email" else f"{p}.{k}" for k in keys)
    return "{{ [%s] | select | join_isolated('\\n') }}" % values


def family_contact_lines(p: str, keys: Sequence[str] = ("phone", "email", "address")) -> str:
    """A family member's contact details, or 'contact via the convener' when protected."""
    return ("{%% if %(p)s.protected %%}{{ %(p)s.contact_note }}{%% else %%}%(lines)s{%% endif %%}"
            % {"p": p, "lines": contact_lines(p, keys)})


def child_fields(heading: str, school: bool = True) -> list[Block]:
    rows: list = [
        ("{{ t.label.name }}", v("child.name")),
        ("{{ t.label.personal_number }}", v("child.personal_number"), "child.personal_number"),
        ("{{ t.label.age }}", v("child.age_text"), "child.age_text"),
    ]
    if school:
        rows.append(("{{ t.label.school }}", v("child.school"), "child.school"))
    rows += [
        ("{{ t.label.address }}", contact("child", "address"), "child.protected or child.address"),
        ("{{ t.label.phone }}", contact("child", "phone"), "child.phone"),
    ]
    return [H2(heading), Fields(rows)]


CONTACT_HEADER = "{{ t.label.contact_details }}"

GUARDIANS = Table("g in guardians", [
    Col("{{ t.label.name }}", v("g.name"), 3),
    Col("{{ t.label.relation }}", v("g.relation_label"), 2.4, when=("relation_label",)),
    Col(CONTACT_HEADER, family_contact_lines("g"), 4.6, when=("protected", "phone", "email", "address")),
])

RELATIVES = Table("r in relatives", [
    Col("{{ t.label.name }}", v("r.name"), 3),
    Col("{{ t.label.relation }}", "{{ [r.relation, r.role_label] | select | join_isolated('\\n') }}", 2.4),
    Col(CONTACT_HEADER, family_contact_lines("r", ("phone", "address")), 4.6, when=("protected", "phone", "address")),
])

INTERPRETERS: list[Block] = [
    If("interpreters", [
        H2("{{ t.common.interpreter_heading }}"),
        Table("i in interpreters", [
            Col("{{ t.common.interpreter_for }}", v("i.name"), 3),
            Col("{{ t.label.language }}", v("i.language"), 2.4),
            Col("{{ t.label.interpreter_mode }}", v("i.mode_label"), 4.6, when=("mode_label",)),
        ]),
        If("interpreter_notice", [para(v("interpreter_notice"))]),
    ]),
]


def family(heading: str) -> list[Block]:
    return [
        *child_fields(heading),
        If("guardians", [H2("{{ t.label.guardians }}"), GUARDIANS]),
        If("relatives", [H2("{{ t.label.relatives }}"), RELATIVES]),
        *INTERPRETERS,
    ]


def participants(loop: str, type_column: bool = False) -> Table:
    """Actors: the organisation (with principal and kind), the contact person, the contact
    details, and on the invitation whether the actor is summoned or invited."""
    cols = [
        Col("{{ t.label.organisation }}",
            v("a.organisation") + "{% if a.principal_label %} ({{ a.principal_label }}){% endif %}"
            "{% if a.kind_label %}\n{{ a.kind_label }}{% endif %}", 4),
        Col("{{ t.label.contact_person }}",
            "{{ [a.name, a.function] | select | join_isolated(', ') }}"
            "{% if a.substitute %}\n{{ t.label.substitute }}: {{ a.substitute }}{% endif %}",
            3, when=("name", "function", "substitute")),
        Col(CONTACT_HEADER, contact_lines("a"), 3.4, when=("phone", "email", "address")),
    ]
    if type_column:
        cols.append(Col("{{ t.label.invitation_type }}", v("a.invitation_type_label"), 1.7,
                        when=("invitation_type_label",)))
    return Table(f"a in {loop}", cols)


def meeting_fields() -> Fields:
    return Fields([
        ("{{ t.label.time }}", v("meeting.when")),
        ("{{ t.label.location }}", v("meeting.location"), "meeting.location"),
        ("{{ t.label.meeting_form }}", v("meeting.form_label"), "meeting.form_label"),
        ("{{ t.label.link }}", "{{ meeting.link | link }}", "meeting.link"),
        ("{{ t.label.meeting_type }}", v("meeting_type_label")
         + "{% if followup_number %} {{ followup_number }}{% endif %}", "meeting_type_label"),
    ])


def participation(prefix: str) -> list[Block]:
    return [
        H2(f"{{{{ t.{prefix}.participation_heading }}}}"),
        Fields([
            ("{{ t.label.role }}", v("child_participation.mode_label")),
            (f"{{{{ t.{prefix}.views_how }}}}", v("child_participation.views_how"), "child_participation.views_how"),
            (f"{{{{ t.{prefix}.reports_back }}}}", v("child_participation.reports_back"),
             "child_participation.reports_back"),
        ]),
    ]


def interventions_table(loop: str) -> Table:
    return Table(f"i in {loop}", [
        Col("{{ t.plan.col_what }}", v("i.what") + "{% if i.goal %}\n{{ t.plan.col_goal }}: {{ i.goal }}{% endif %}", 4),
        Col("{{ t.plan.col_responsible }}",
            v("i.responsible") + "{% if i.principal_label %} ({{ i.principal_label }}){% endif %}"
            "{% if i.contact %}\n{{ t.plan.col_contact }}: " + staff("i.contact") + "{% endif %}", 3.6),
        Col("{{ t.plan.col_when }}", "{{ [i.start, i.frequency] | select | join_isolated('\\n') }}", 2.2),
        Col("{{ t.plan.col_where }}", v("i.where"), 2.2, when=("where",)),
        Col("{{ t.plan.col_status }}", v("i.status_label"), 2, when=("status_label",)),
    ])


def consent_scope() -> list[Block]:
    """What a consent covers — purposes, parties, information, exclusions — when given."""
    return [
        If("consent.purposes", [P([B("{{ t.consent.purposes_heading }}")]), Bullets("p in consent.purposes", v("p"))]),
        If("consent.parties", [
            P([B("{{ t.consent.parties_heading }}")]),
            Bullets("p in consent.parties",
                    "{{ [p.organisation, p.kind_label, p.principal_label] | select | join_isolated(', ') }}"),
        ]),
        If("consent.information_covered", [P([B("{{ t.consent.information_heading }}")]),
                                           Text("consent.information_covered")]),
        If("consent.exclusions", [P([B("{{ t.consent.exclusions_heading }}")]), Text("consent.exclusions")]),
    ]


def consent_fields() -> Fields:
    """Who gave the consent, when, how, to whom, and the concrete date it ends (R5)."""
    return Fields([
        ("{{ t.plan.consent_text }}", v("consent.given_by_text"), "consent.given_by_text"),
        ("{{ t.plan.consent_date }}", v("consent.date"), "consent.date"),
        ("{{ t.invitation.consent_form }}", v("consent.form_label"), "consent.form_label"),
        ("{{ t.invitation.consent_obtained_by }}", v("consent.obtained_by"), "consent.obtained_by"),
        ("{{ t.plan.consent_valid_until }}", v("consent.valid_until"), "consent.valid_until"),
    ])


def consent_summary(embeddable: bool) -> If:
    """The consent reference of a plan or follow-up. A plan whose pack embeds the consent
    (Storsthlm: on page 1) prints it there, once, and not again here."""
    return If("consent and not consent_embedded" if embeddable else "consent", [
        H2("{{ t.plan.consent_heading }}"),
        consent_fields(),
        *consent_scope(),
    ])


def responsibility() -> list[Block]:
    return [
        H2("{{ t.plan.responsibility_heading }}"),
        Fields([
            ("{{ t.plan.lead_responsible }}",
             "{{ [lead_responsible.name, lead_responsible.title, lead_responsible.organisation, "
             "lead_responsible.principal_label, lead_responsible.phone, lead_responsible.email | mailto]"
             " | select | join_isolated(', ') }}", "lead_responsible"),
            ("{{ t.plan.family_contact }}", staff("family_contact"), "family_contact"),
        ]),
    ]


def booking_fields(b: str) -> Fields:
    return Fields([
        ("{{ t.plan.followup_when }}", v(f"{b}.when")),
        ("{{ t.label.location }}", v(f"{b}.location"), f"{b}.location"),
        ("{{ t.label.meeting_form }}", v(f"{b}.form_label"), f"{b}.form_label"),
        ("{{ t.label.convened_by }}", v(f"{b}.convened_by"), f"{b}.convened_by"),
        ("{{ t.label.informs_participants }}", v(f"{b}.informs_participants"), f"{b}.informs_participants"),
    ])


def distribution() -> If:
    return If("distribution and distribution.recipients", [
        H2("{{ t.common.distribution }}"),
        Bullets("r in distribution.recipients", v("r"), css="columns"),
    ])


def optional_text(cond: str, heading: str) -> If:
    return If(cond, [H2(heading), Text(cond)])


def roles() -> list[Block]:
    return [
        H2("{{ t.plan.roles_heading }}"),
        Fields([
            ("{{ t.label.chair }}", staff("chair"), "chair"),
            ("{{ t.label.note_taker }}", staff("note_taker"), "note_taker"),
        ]),
    ]


def rest_of_meeting(prefix: str) -> list[Block]:
    return [
        H2("{{ t.plan.participants_heading }}"),
        participants("attendees"),
        If("absent", [H2("{{ t.plan.absent_heading }}"), participants("absent")]),
        *roles(),
        *participation("plan"),
        optional_text("child_views", "{{ t.plan.child_views_heading }}"),
        consent_summary(embeddable=prefix == "plan"),
    ]


# --- the six documents --------------------------------------------------------------------------

INVITATION: list[Block] = [
    H1("{{ doc.title }}"),
    para("{{ t.invitation.intro }}"),
    para("{{ t.invitation.what_is_sip }}"),
    H2("{{ t.invitation.convener_heading }}"),
    Fields([
        ("{{ t.label.name }}", v("convener.name")),
        ("{{ t.label.title }}", v("convener.title"), "convener.title"),
        ("{{ t.label.organisation }}", "{{ [convener.organisation, convener.unit] | select | join_isolated(', ') }}",
         "convener.organisation or convener.unit"),
        ("{{ t.label.principal }}", v("convener.principal_label"), "convener.principal_label"),
        ("{{ t.label.phone }}", v("convener.phone"), "convener.phone"),
        ("{{ t.label.email }}", "{{ convener.email | mailto }}", "convener.email"),
        ("{{ t.label.address }}", v("convener.address"), "convener.address"),
    ]),
    *family("{{ t.invitation.child_heading }}"),
    H2("{{ t.invitation.meeting_heading }}"),
    meeting_fields(),
    If("need_identified_date", [label_line("{{ t.invitation.need_identified }}", v("need_identified_date"))]),
    H2("{{ t.invitation.purpose_heading }}"),
    Text("purpose"),
    If("goal_picture", [P([B("{{ t.invitation.goal_picture }}")]), Text("goal_picture")]),
    H2("{{ t.invitation.invitees_heading }}"),
    participants("invitees", type_column=True),
    *participation("invitation"),
    If("accessibility_needs", [H2("{{ t.invitation.special_heading }}"),
                               label_line("{{ t.invitation.accessibility }}", v("accessibility_needs"))]),
    H2("{{ t.invitation.consent_heading }}"),
    If("consent.obtained", [para("{{ t.invitation.consent_obtained }}")]),
    Fields([
        ("{{ t.invitation.consent_date }}", v("consent.date"), "consent.date"),
        ("{{ t.invitation.consent_given_by }}", v("consent.given_by_text"), "consent.given_by_text"),
        ("{{ t.invitation.consent_form }}", v("consent.form_label"), "consent.form_label"),
        ("{{ t.invitation.consent_obtained_by }}", v("consent.obtained_by"), "consent.obtained_by"),
        ("{{ t.invitation.consent_valid_until }}", v("consent.valid_until"), "consent.valid_until"),
    ]),
    *consent_scope(),
    If("roles.chair or roles.note_taker", [
        H2("{{ t.invitation.roles_heading }}"),
        Fields([
            ("{{ t.label.chair }}", staff("roles.chair"), "roles.chair"),
            ("{{ t.label.note_taker }}", staff("roles.note_taker"), "roles.note_taker"),
        ]),
    ]),
    H2("{{ t.invitation.reply_heading }}"),
    label_line("{{ t.invitation.reply_by }}", v("confirm_by")),
    para("{{ t.invitation.reply_text }}"),
    para("{{ t.invitation.routing_text }}"),
    H2("{{ t.invitation.prepare_heading }}"),
    para("{{ t.invitation.prepare_text }}"),
    para("{{ t.common.no_one_decides_for_others }}"),
    para("{{ t.common.no_queue_priority }}"),
    para("{{ t.common.duty_to_report }}"),
    Evaluation(),
    distribution(),
    If("distribution and distribution.copy_to_family", [para("{{ t.invitation.copy_note }}")]),
    If("enclosures", [H2("{{ t.common.enclosures }}"), Bullets("e in enclosures", v("e"))]),
]

CONSENT: list[Block] = [
    H1("{{ doc.title }}"),
    para("{{ t.consent.intro }}"),
    *child_fields("{{ t.consent.child_heading }}"),
    If("guardians", [H2("{{ t.label.guardians }}"), GUARDIANS]),
    *INTERPRETERS,
    H2("{{ t.consent.purposes_heading }}"),
    Checkboxes("p in purpose_choices", "'purpose.' ~ p.code", "p.checked", "p.label"),
    If("purpose_other", [label_line("{{ t.consent.purpose_other }}", v("purpose_other"))]),
    H2("{{ t.consent.parties_heading }}"),
    Checkboxes("p in parties", "'party.' ~ loop.index0", "true",
               "[p.organisation, p.kind_label, p.principal_label] | select | join_isolated(', ')", "p.organisation"),
    H2("{{ t.consent.information_heading }}"),
    Text("information_covered"),
    optional_text("exclusions", "{{ t.consent.exclusions_heading }}"),
    H2("{{ t.consent.validity_heading }}"),
    Fields([
        ("{{ t.consent.valid_from }}", v("valid_from")),
        ("{{ t.consent.valid_until }}", v("valid_until")),
        ("{{ t.consent.process_end }}", v("process_end"), "process_end"),
    ]),
    para("{{ t.consent.validity_text }}"),
    If("not form_per_person or documented_in", [
        H2("{{ t.consent.form_heading }}"),
        If("not form_per_person", [label_line("{{ t.consent.form }}", v("form_label"))]),
        If("documented_in", [
            P([B("{{ t.consent.documented_in }}")]),
            Fields([
                ("{{ t.consent.documented_system }}", v("documented_in.system")),
                ("{{ t.consent.documented_date }}", v("documented_in.date")),
                ("{{ t.consent.documented_by }}", v("documented_in.documented_by")),
            ]),
        ]),
    ]),
    H2("{{ t.consent.persons_heading }}"),
    Table("s in consenting_persons", [
        Col("{{ t.label.name }}", v("s.name"), 3),
        Col("{{ t.label.relation }}", "{{ [s.role_label, s.organisation] | select | join_isolated(', ') }}", 2.6,
            when=("role_label", "organisation")),
        Col("{{ t.label.date }}", v("s.date"), 2.2, when=("date",)),
        Col("{{ t.consent.form }}", v("s.form_text"), 3.2, when=("form_text",)),
    ]),
    optional_text("child_view", "{{ t.consent.child_view_heading }}"),
    If("withdrawal", [
        H2("{{ t.consent.withdrawal_heading }}"),
        Fields([
            ("{{ t.consent.withdrawal_date }}", v("withdrawal.date")),
            ("{{ t.consent.withdrawal_by }}", v("withdrawal.by")),
            ("{{ t.consent.withdrawal_received_by }}", v("withdrawal.received_by"), "withdrawal.received_by"),
        ]),
    ]),
    If("obtained_by", [H2("{{ t.consent.obtained_by_heading }}"), para(staff("obtained_by"))]),
    H2("{{ t.consent.rights_heading }}"),
    para("{{ t.consent.right_to_withdraw }}"),
    para("{{ t.consent.no_blanket_consent }}"),
    para("{{ t.consent.without_consent }}"),
    para("{{ t.consent.each_party_documents }}"),
    SignatureFields("s in consenting_persons", "s.name", "s.relation_label"),
]

EMBEDDED_CONSENT = If("consent_embedded and consent", [
    H2("{{ t.plan.consent_heading }}"),
    consent_fields(),
    *consent_scope(),
    para("{{ t.consent.validity_text }}"),
    para("{{ t.consent.right_to_withdraw }}"),
])

PLAN: list[Block] = [
    H1("{{ doc.title }}"),
    para("{{ t.plan.intro }}"),
    EMBEDDED_CONSENT,
    H2("{{ t.plan.meeting_heading }}"),
    meeting_fields(),
    *family("{{ t.plan.family_heading }}"),
    *rest_of_meeting("plan"),
    H2("{{ t.plan.purpose_heading }}"),
    Text("purpose"),
    H2("{{ t.plan.situation_heading }}"),
    P([B("{{ t.plan.works_well }}")]),
    Text("current_situation.works_well"),
    P([B("{{ t.plan.does_not_work }}")]),
    Text("current_situation.does_not_work"),
    H2("{{ t.plan.needs_heading }}"),
    Bullets("n in needs", v("n")),
    H2("{{ t.plan.goals_heading }}"),
    P([B("{{ t.plan.long_term_goal }}")]),
    Text("long_term_goal"),
    P([B("{{ t.plan.short_term_goals }}")]),
    Bullets("g in short_term_goals", v("g")),
    H2("{{ t.plan.interventions_heading }}"),
    interventions_table("interventions"),
    optional_text("family_contribution", "{{ t.plan.family_contribution_heading }}"),
    optional_text("disagreements", "{{ t.plan.disagreements_heading }}"),
    *responsibility(),
    H2("{{ t.plan.followup_heading }}"),
    If("closes_process", [para("{{ t.plan.closes_process }}")]),
    If("followup", [booking_fields("followup")]),
    # the pack's rule for who calls the follow-up, unless the plan names that person
    If("not (followup and followup.convened_by)", [para(v("followup_convener_text"))]),
    optional_text("summary", "{{ t.plan.summary_heading }}"),
    Together([
        H2("{{ t.plan.original_heading }}"),
        para(v("original_kept_by_text")),
        para("{{ t.plan.copies_text }}"),
    ]),
    distribution(),
    If("show_signatures and signatures", [Signatures("s in signatures", "s.name",
                                                     "[s.role_label, s.organisation, s.documented_by and "
                                                     "t.consent.documented_by ~ ': ' ~ s.documented_by]"
                                                     " | select | join_isolated(', ')")]),
    # the evaluation is the family's, after the plan itself and its signatures
    Evaluation(),
]

FOLLOWUP: list[Block] = [
    H1("{{ doc.title }}"),
    para("{{ t.followup.intro }}"),
    H2("{{ t.plan.meeting_heading }}"),
    meeting_fields(),
    label_line("{{ t.followup.previous_meeting }}", v("previous_meeting_date")),
    *family("{{ t.plan.family_heading }}"),
    *rest_of_meeting("followup"),
    H2("{{ t.followup.reviews_heading }}"),
    Table("r in intervention_reviews", [
        Col("{{ t.followup.col_intervention }}",
            v("r.intervention") + "{% if r.responsible %}\n{{ t.followup.col_responsible }}: {{ r.responsible }}{% endif %}",
            4),
        Col("{{ t.followup.col_assessment }}",
            "{% for label, value in [(t.followup.col_carried_out, r.carried_out_label), "
            "(t.followup.col_working, r.working_label), (t.followup.col_right_order, r.right_order_label)] "
            "if value %}{{ label }}: {{ value }}{% if not loop.last %}\n{% endif %}{% endfor %}",
            3, when=("carried_out_label", "working_label", "right_order_label")),
        Col("{{ t.followup.col_effect }}",
            v("r.effect") + "{% if r.comment %}\n{{ t.followup.col_comment }}: {{ r.comment }}{% endif %}", 4,
            when=("effect", "comment")),
    ]),
    H2("{{ t.followup.goals_heading }}"),
    label_line("{{ t.followup.assessment }}", v("goals_met.assessment_label")),
    If("goals_met.comment", [Text("goals_met.comment")]),
    optional_text("changed_needs", "{{ t.followup.changed_needs_heading }}"),
    optional_text("new_circumstances", "{{ t.followup.new_circumstances_heading }}"),
    optional_text("services_assessment", "{{ t.followup.services_assessment_heading }}"),
    If("new_actors_to_invite", [H2("{{ t.followup.new_actors_heading }}"), participants("new_actors_to_invite"),
                                para("{{ t.followup.new_actors_text }}")]),
    H2("{{ t.followup.decision_heading }}"),
    para(v("decision_label")),
    If("revised_interventions", [H2("{{ t.followup.revised_heading }}"),
                                 interventions_table("revised_interventions")]),
    If("next_followup", [H2("{{ t.followup.next_followup_heading }}"), booking_fields("next_followup"),
                         If("not next_followup.convened_by", [para(v("followup_convener_text"))])]),
    If("lead_responsible or family_contact", responsibility()),
    optional_text("summary", "{{ t.plan.summary_heading }}"),
    Evaluation(),
    distribution(),
]

CLOSURE: list[Block] = [
    H1("{{ doc.title }}"),
    para("{{ t.closure.intro }}"),
    *child_fields("{{ t.consent.child_heading }}"),
    If("guardians", [H2("{{ t.label.guardians }}"), GUARDIANS]),
    H2("{{ t.closure.closure_heading }}"),
    Fields([
        ("{{ t.closure.established }}", v("plan_established_date")),
        ("{{ t.closure.closed }}", v("closure_date")),
        ("{{ t.closure.decided_at }}", v("decided_at_label")),
        ("{{ t.closure.consent_end }}", v("consent_end_date"), "consent_end_date"),
    ]),
    H2("{{ t.closure.reason_heading }}"),
    para(v("reason_label")),
    If("reason_text", [Text("reason_text")]),
    If("consent_withdrawal", [
        H2("{{ t.closure.withdrawal_heading }}"),
        Fields([("{{ t.closure.withdrawal_date }}", v("consent_withdrawal.date")),
                ("{{ t.closure.withdrawal_by }}", v("consent_withdrawal.by_label"))]),
    ]),
    H2("{{ t.closure.notified_by_heading }}"),
    para(staff("notified_by")),
    H2("{{ t.closure.recipients_heading }}"),
    participants("recipients"),
    If("family_informed", [para("{{ t.closure.family_informed }}")]),
    If("not family_informed", [para("{{ t.closure.family_not_informed }}")]),
    para("{{ t.closure.record_text }}"),
    H2("{{ t.closure.where_to_turn_heading }}"),
    Text("where_to_turn"),
    Evaluation(),
]

INTAKE_NOTE: list[Block] = [
    H1("{{ doc.title }}"),
    para("{{ t.intake_note.intro }}"),
    H2("{{ t.intake_note.person_heading }}"),
    Fields([
        ("{{ t.label.name }}", v("child.name")),
        ("{{ t.label.personal_number }}", v("child.personal_number"), "child.personal_number"),
        ("{{ t.label.address }}", contact("child", "address"), "child.protected or child.address"),
        ("{{ t.label.other_address }}", v("child.other_address"), "child.other_address"),
        ("{{ t.label.phone }}", v("child.phone"), "child.phone"),
    ]),
    H2("{{ t.intake_note.registration_heading }}"),
    Fields([
        ("{{ t.intake_note.info_type }}", v("registration.info_type")),
        ("{{ t.intake_note.subtype }}", v("registration.subtype")),
        ("{{ t.intake_note.template }}", v("registration.template")),
    ]),
    If("sender", [H2("{{ t.intake_note.sender_heading }}"), para(staff("sender"))]),
    If("meeting_date", [label_line("{{ t.intake_note.meeting_date }}", v("meeting_date"))]),
    H2("{{ t.intake_note.entries_heading }}"),
    Table("e in entries", [
          Col("{{ t.intake_note.col_date }}", v("e.date"), 1.3),
          Col("{{ t.intake_note.col_text }}",
           "{{ e.kind_label }}\n{{ e.text }}"
           "{% if e.consent_verified %}\n☒ {{ t.intake_note.consent_verified }}{% endif %}"
           "{% if e.contacted_sender %}\n☒ {{ t.intake_note.contacted_sender }}{% endif %}"
           "{% if e.outcome_label %}\n{{ t.intake_note.col_outcome }}: {{ e.outcome_label }}{% endif %}"
           "{% if e.informed_no_followup %}\n☒ {{ t.intake_note.informed_no_followup }}{% endif %}", 5.7),
    ]),
    Together([
        para("{{ t.intake_note.not_a_report }}"),
        para("{{ t.intake_note.routine_text }}"),
        para("{{ t.intake_note.filing_text }}"),
        P([B("{{ t.intake_note.signed }}"), " {{ [signed_by.name, signed_by.title] | select | join_isolated(', ') }}"]),
    ]),
]

LAYOUTS = {"invitation": INVITATION, "consent": CONSENT, "plan": PLAN, "followup": FOLLOWUP,
           "closure": CLOSURE, "intake_note": INTAKE_NOTE}

HEADER_TITLE = "{{ doc.title }}"
FOOTER_LINES = [
    "{{ t.common.legal_basis }}: {{ doc.legal_reference }}",
    "{{ doc.confidentiality }}",
    "{% if doc.case_id %}{{ t.common.case_id }}: {{ doc.case_id }} · {% endif %}"
    "{{ t.common.pack }}: {{ doc.pack.name }} {{ doc.pack.version }}",
]


# --- Word ---------------------------------------------------------------------------------------

ACCENT = RGBColor(0x16, 0x5A, 0x6E)
QR_CARD_WIDTHS = (28, 142)  # mm: the code (28 mm, the size sipdocs.qr prints it), name and URL
QR_URL_PT = 8


class DocxWriter:
    """Emits a layout into a python-docx document as a docxtpl template."""

    def __init__(self) -> None:
        self.doc = Document()
        self.tables = 0
        self._setup()

    def _setup(self) -> None:
        doc = self.doc
        section = doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        # the header without the logo needs ~12 mm; the first page's logo header pushes its body down
        section.top_margin, section.bottom_margin = Mm(24), Mm(22)
        section.header_distance, section.footer_distance = Mm(10), Mm(8)
        styles = doc.styles
        styles["Normal"].font.name = "Arial"
        styles["Normal"].font.size = Pt(10)
        styles["Normal"].paragraph_format.space_after = Pt(3)
        for name, size in (("Heading 1", 18), ("Heading 2", 13)):
            st = styles[name]
            st.font.name = "Arial"
            _without_theme_fonts(st)
            st.font.size = Pt(size)
            st.font.color.rgb = ACCENT
            st.paragraph_format.keep_with_next = True
            st.paragraph_format.space_before = Pt(10 if name == "Heading 2" else 0)
        for name in ("Header", "Footer"):
            styles[name].font.size = Pt(8.5)
        props = doc.core_properties
        props.title = "{{ doc.title }}"
        props.language = "{{ lang }}"
        props.author = "sipdocs"
        props.subject = "{{ doc.pack.name }}"
        props.comments = ""
        props.keywords = "SIP"
        props.created = props.modified = datetime(2026, 1, 1)  # regenerated templates are byte-identical
        props.last_modified_by = "sipdocs"
        props.revision = 1
        _auto_hyphenation(doc)
        self._header_footer()

    def _header_footer(self) -> None:
        """The running header (issuer, title, date, page x of y) and footer on every page; the
        logo heads the first page's body, as a letterhead (as in the PDF), not the header, so
        every page keeps its room for text."""
        section = self.doc.sections[0]
        header = section.header
        p = header.paragraphs[0]
        p.style = self.doc.styles["Header"]
        p.add_run("{{ doc.issuer or '' }}").font.color.rgb = RGBColor(0x55, 0x55, 0x55)
        line = header.add_paragraph(style="Header")
        line.add_run(HEADER_TITLE).bold = True
        line.add_run(" · {{ t.common.document_date }} {{ doc.date }} · {{ t.common.page }} ")
        _field(line, "PAGE", "1")
        line.add_run(" {{ t.common.page_of }} ")
        _field(line, "NUMPAGES", "1")
        footer = section.footer
        for n, text in enumerate(FOOTER_LINES):
            fp = footer.paragraphs[0] if n == 0 else footer.add_paragraph(style="Footer")
            fp.add_run(text)
        self.doc.add_paragraph("{%p if doc.logo %}")
        self.doc.add_paragraph("{{ doc.logo }}").paragraph_format.space_after = Pt(8)
        self.doc.add_paragraph("{%p endif %}")

    # blocks
    def emit(self, blocks: Iterable[Block]) -> None:
        for block in blocks:
            getattr(self, f"_{type(block).__name__.lower()}")(block)

    def _h1(self, b: H1) -> None:
        self.doc.add_paragraph(b.text, style="Heading 1")

    def _h2(self, b: H2) -> None:
        self.doc.add_paragraph(b.text, style="Heading 2")

    def _p(self, b: P) -> None:
        p = self.doc.add_paragraph(style=b.style)
        _runs(p, b.runs)
        if b.runs and all(isinstance(r, B) for r in b.runs):
            p.paragraph_format.keep_with_next = True  # a label stays with what it introduces

    def _text(self, b: Text) -> None:
        self.doc.add_paragraph(v(b.expr))

    def _together(self, b: Together) -> None:
        start = len(self.doc.paragraphs)
        self.emit(b.blocks)
        for paragraph in self.doc.paragraphs[start:-1]:
            paragraph.paragraph_format.keep_with_next = True

    def _if(self, b: If) -> None:
        self.doc.add_paragraph("{%p if " + b.cond + " %}")
        self.emit(b.blocks)
        self.doc.add_paragraph("{%p endif %}")

    def _fields(self, b: Fields) -> None:
        """Label/value rows: no header row (the labels are in the first column); rows never
        split across pages (a split row leaves an empty bordered strip on the next page), and
        every row keeps with the next, so a block is not split where it fits on one page."""
        rows: list[tuple[str | None, tuple[str, str] | None]] = []
        for row in b.rows:
            label, value, *cond = row
            if cond:
                rows.append(("{%tr if " + cond[0] + " %}", None))
            rows.append((None, (label, value)))
            if cond:
                rows.append(("{%tr endif %}", None))
        table = self._new_table(len(rows), 2, widths=(55, 115))
        for tr, (tag, pair) in zip(table.rows, rows):
            if tag:
                tr.cells[0].paragraphs[0].add_run(tag)
            else:
                assert pair is not None
                _cant_split(tr)
                run = tr.cells[0].paragraphs[0].add_run(pair[0])
                run.bold = True
                tr.cells[1].paragraphs[0].add_run(pair[1])
                for cell in tr.cells:  # the block stays on one page where it fits (PDF: dl break-inside)
                    cell.paragraphs[0].paragraph_format.keep_with_next = True
        self._spacer()

    def _table(self, b: Table) -> None:
        """One Word table per combination of the optional columns (see :meth:`Table.variants`),
        chosen with ``{%p if %}`` — docxtpl cannot drop a column and re-spread the widths."""
        self.tables += 1
        sets, variants = b.variants(f"cols{self.tables}")
        for statement in sets:
            self.doc.add_paragraph("{%p " + statement + " %}")
        for n, (cond, cols) in enumerate(variants):
            if len(variants) > 1:
                self.doc.add_paragraph("{%p " + _branch(n, len(variants), cond) + " %}")
            table = self._new_table(4, len(cols), widths=[share * TEXT_WIDTH_MM for share in shares(cols)])
            header = table.rows[0]
            _repeat_header(header)
            for cell, col in zip(header.cells, cols):
                run = cell.paragraphs[0].add_run(col.header)
                run.bold = True
            table.rows[1].cells[0].paragraphs[0].add_run("{%tr for " + b.loop + " %}")
            _cant_split(table.rows[2])
            for cell, col in zip(table.rows[2].cells, cols):
                cell.paragraphs[0].add_run(col.cell)
            table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
        if len(variants) > 1:
            self.doc.add_paragraph("{%p endif %}")
        self._spacer()

    def _bullets(self, b: Bullets) -> None:
        """One paragraph per item; the items keep together (no item alone at a page's top)."""
        self.doc.add_paragraph("{%p for " + b.loop + " %}")
        self.doc.add_paragraph(b.item, style="List Bullet").paragraph_format.keep_with_next = True
        self.doc.add_paragraph("{%p endfor %}")

    def _evaluation(self, b: Evaluation) -> None:
        """One QR card per table row: the code in a narrow left cell, the actor's name and
        the URL (a link, small type, so a ~100-character URL fits on one line) beside it.

        Rows may not split, so a card is never divided between pages; the heading (its
        style), the intro and every card keep with the next paragraph, so the block moves
        to a new page whole where it fits on one. No header row and no borders: the cards
        are a list, not a data table.
        """
        self.doc.add_paragraph("{%p if evaluation %}")
        self.doc.add_paragraph("{{ t.common.evaluation_heading }}", style="Heading 2")
        intro = self.doc.add_paragraph("{{ evaluation_intro }}")
        intro.paragraph_format.keep_with_next = True
        table = self.doc.add_table(rows=3, cols=2)
        _table_widths(table, QR_CARD_WIDTHS)
        _fixed_layout(table)
        table.rows[0].cells[0].paragraphs[0].add_run("{%tr for e in evaluation %}")
        card = table.rows[1]
        _cant_split(card)
        code, text = card.cells
        _cell_side_margins(code, 0)
        code.paragraphs[0].add_run("{{ e.qr }}")
        text.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        name = text.paragraphs[0]
        name.add_run("{{ e.organisation }}").bold = True
        url = text.add_paragraph()
        url.add_run("{{ e.url | link }}").font.size = Pt(QR_URL_PT)
        for paragraph in (code.paragraphs[0], name, url):
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.keep_with_next = True  # the cards stay together, as in the PDF
        table.rows[2].cells[0].paragraphs[0].add_run("{%tr endfor %}")
        self.doc.add_paragraph("{%p endif %}")

    def _checkboxes(self, b: Checkboxes) -> None:
        """A box per choice, ☑ or ☐, in front of its label (no list bullet: the box is the mark);
        a long label wraps under its own first word."""
        self.doc.add_paragraph("{%p for " + b.loop + " %}")
        p = self.doc.add_paragraph("{% if " + b.checked + " %}☑{% else %}☐{% endif %}\t{{ " + b.label + " }}")
        p.paragraph_format.left_indent = Mm(6)
        p.paragraph_format.first_line_indent = Mm(-6)
        p.paragraph_format.tab_stops.add_tab_stop(Mm(6))
        p.paragraph_format.space_after = Pt(1)
        p.paragraph_format.keep_with_next = True
        self.doc.add_paragraph("{%p endfor %}")

    def _signaturefields(self, b: SignatureFields) -> None:
        self._signatures(Signatures(b.loop, b.name, b.role))

    def _signatures(self, b: Signatures) -> None:
        """The signature table: the header row repeats, rows never split, and every row's
        paragraphs keep with the next, so the table stays in one piece with its heading
        (a page never starts with a lone signature row)."""
        self.doc.add_paragraph("{{ t.common.signatures_heading }}", style="Heading 2")
        table = self._new_table(4, 3, widths=(70, 60, 40))
        for cell, text in zip(table.rows[0].cells, ("{{ t.common.signature }}", "{{ t.common.name_clarification }}",
                                                    "{{ t.common.signature_date }}")):
            cell.paragraphs[0].add_run(text).bold = True
        _repeat_header(table.rows[0])
        table.rows[1].cells[0].paragraphs[0].add_run("{%tr for " + b.loop + " %}")
        row = table.rows[2]
        _cant_split(row)
        row.height = Mm(16)
        row.cells[1].paragraphs[0].add_run("{{ " + b.name + " }}")
        row.cells[1].add_paragraph("{{ " + b.role + " }}")
        for cell in (table.rows[0].cells + row.cells):
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
        table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
        self._spacer()

    def _new_table(self, rows: int, cols: int, widths: Sequence[int] | None = None):
        table = self.doc.add_table(rows=rows, cols=cols)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _table_cell_margins(table)
        if widths:
            _table_widths(table, widths)
        return table

    def _spacer(self) -> None:
        """A small gap after a table (Word needs a paragraph between two tables)."""
        gap = self.doc.add_paragraph("")
        gap.paragraph_format.space_after = Pt(0)
        gap.paragraph_format.line_spacing = Pt(6)

    def save(self, path: Path) -> None:
        from sipdocs.backends.docx import deterministic_zip

        buf = io.BytesIO()
        self.doc.save(buf)
        with zipfile.ZipFile(buf) as zf:
            entries = [(name, zf.read(name)) for name in zf.namelist()]
        path.write_bytes(deterministic_zip(entries))


def _runs(p, runs: Sequence[Run]) -> None:
    for run in runs:
        if isinstance(run, B):
            p.add_run(run.text).bold = True
        else:
            p.add_run(run)


def _field(paragraph, instr: str, placeholder: str) -> None:
    """A simple field (PAGE, NUMPAGES) that Word and LibreOffice update when laying out."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), f" {instr} ")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = placeholder
    r.append(t)
    fld.append(r)
    paragraph._p.append(fld)


def _repeat_header(row) -> None:
    """Mark a data table's first row as its header, repeated at the top of every page.

    ``<w:tblHeader/>`` is an on/off property: present means on. The bare element is the
    form Microsoft's Open XML SDK validates (``w:val="true"`` is flagged). The header row
    does not split either.
    """
    _cant_split(row)
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _cant_split(row) -> None:
    """Word and LibreOffice move a ``cantSplit`` row whole to the next page instead of
    splitting it. A split row is what LibreOffice showed as an empty bordered row at the top
    of a page: the text fits on the first page, the cell's last paragraph spacing does not,
    and the rest of the row — empty — opens the next page. (A row with more text than a page
    holds may still split: the Word engines drop its ``cantSplit``, see
    ``sipdocs/backends/docx_rows.py``.)"""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.insert(0, OxmlElement("w:cantSplit"))


def _table_widths(table, widths: Sequence[float]) -> None:
    """Column widths in the table grid and in every cell (Word reads the cells,
    LibreOffice the grid when they disagree)."""
    for column, width in zip(table.columns, widths):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Mm(width)


def _fixed_layout(table) -> None:
    """Fixed column widths: Word does not widen a column to fit its content."""
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)


def _cell_side_margins(cell, twips: int) -> None:
    margins = OxmlElement("w:tcMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(twips))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    cell._tc.get_or_add_tcPr().append(margins)


def _table_cell_margins(table, top_bottom: int = 30, left_right: int = 85) -> None:
    """The table's default cell margins in twips (about 0.5 mm above and below the text, as
    the PDF's cell padding; Word's own default has none, so text touches the border)."""
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side, twips in (("top", top_bottom), ("left", left_right), ("bottom", top_bottom), ("right", left_right)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(twips))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr.append(margins)


def _without_theme_fonts(style) -> None:
    """Arial for a style whose font python-docx's template takes from the theme.

    A theme font (``w:asciiTheme="majorHAnsi"``) wins over the named one (``w:ascii``), so
    the headings were laid out in the theme's Calibri — by LibreOffice, which lacks it, in
    DejaVu Sans — however ``font.name`` was set.
    """
    fonts = style.element.rPr.find(qn("w:rFonts"))
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)


def _auto_hyphenation(doc) -> None:
    """Automatic hyphenation (``w:autoHyphenation`` in settings.xml), words in capitals
    (acronyms such as BUMM, BUP) left whole. Word and LibreOffice hyphenate by the text's
    language, which the Word engines set per document (sv-SE / en-GB); LibreOffice needs
    its hyphenation dictionary (Debian: hyphen-sv) to do it."""
    settings = doc.settings.element
    anchor = settings.find(qn("w:defaultTabStop"))
    elements = [OxmlElement("w:autoHyphenation"), OxmlElement("w:doNotHyphenateCaps")]
    for el in reversed(elements):
        if anchor is not None:
            anchor.addnext(el)
        else:
            settings.append(el)


# --- HTML ---------------------------------------------------------------------------------------

class HtmlWriter:
    """Emits a layout as a Jinja HTML template extending `_base.html`."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.tables = 0

    def emit(self, blocks: Iterable[Block], indent: int = 1) -> None:
        for block in blocks:
            getattr(self, f"_{type(block).__name__.lower()}")(block, indent)

    def w(self, indent: int, text: str) -> None:
        self.lines.append("  " * indent + text)

    def _h1(self, b: H1, i: int) -> None:
        self.w(i, f"<h1>{b.text}</h1>")

    def _h2(self, b: H2, i: int) -> None:
        self.w(i, f"<h2>{b.text}</h2>")

    def _p(self, b: P, i: int) -> None:
        # a paragraph that is only a bold label introduces what follows and stays with it
        label = ' class="label"' if b.runs and all(isinstance(r, B) for r in b.runs) else ""
        self.w(i, f"<p{label}>{_html_runs(b.runs)}</p>")

    def _text(self, b: Text, i: int) -> None:
        self.w(i, f'<p class="text">{v(b.expr)}</p>')

    def _together(self, b: Together, i: int) -> None:
        self.w(i, '<div class="together">')
        self.emit(b.blocks, i + 1)
        self.w(i, "</div>")

    def _if(self, b: If, i: int) -> None:
        self.w(i, "{% if " + b.cond + " %}")
        self.emit(b.blocks, i + 1)
        self.w(i, "{% endif %}")

    def _fields(self, b: Fields, i: int) -> None:
        # the same label/value pairs as Word's table: the labels are row headers (TH, scope Row)
        self.w(i, '<table class="fields">')
        for row in b.rows:
            label, value, *cond = row
            line = f'<tr><th scope="row">{label}</th><td>{value}</td></tr>'
            self.w(i + 1, ("{% if " + cond[0] + " %}" + line + "{% endif %}") if cond else line)
        self.w(i, "</table>")

    def _table(self, b: Table, i: int) -> None:
        self.tables += 1
        sets, variants = b.variants(f"cols{self.tables}")
        for statement in sets:
            self.w(i, "{% " + statement + " %}")
        for n, (cond, cols) in enumerate(variants):
            if len(variants) > 1:
                self.w(i, "{% " + _branch(n, len(variants), cond) + " %}")
            # widths on the header cells, which fixed table layout reads (a <colgroup> would do the
            # same, but WeasyPrint's column boxes keep every cell in a reference cycle)
            self.w(i, '<table class="list">')
            self.w(i + 1, "<thead><tr>" + "".join(f'<th scope="col" style="width: {share * 100:.1f}%">{c.header}</th>'
                                                  for c, share in zip(cols, shares(cols))) + "</tr></thead>")
            self.w(i + 1, "<tbody>{% for " + b.loop + " %}<tr>" + "".join(f"<td>{c.cell}</td>" for c in cols)
                   + "</tr>{% endfor %}</tbody>")
            self.w(i, "</table>")
        if len(variants) > 1:
            self.w(i, "{% endif %}")

    def _bullets(self, b: Bullets, i: int) -> None:
        css = f' class="{b.css}"' if b.css else ""
        self.w(i, f"<ul{css}>{{% for " + b.loop + " %}<li>" + b.item + "</li>{% endfor %}</ul>")

    def _evaluation(self, b: Evaluation, i: int) -> None:
        # a list (tagged L/LI) of QR cards, one per line: the code, and beside it the actor's
        # name and the URL (a link), wide enough that a URL of ~100 characters stays on one line
        self.w(i, '{% if evaluation %}<section class="evaluation">')
        self.w(i + 1, "<h2>{{ t.common.evaluation_heading }}</h2>")
        self.w(i + 1, '<p class="lead-in">{{ evaluation_intro }}</p>')
        self.w(i + 1, '<ul class="evaluation">{% for e in evaluation %}<li>'
                      '<img class="qr" src="{{ e.qr.data_uri }}" alt="{{ e.qr.alt }}" '
                      'style="width: {{ e.qr.width_mm }}mm; height: {{ e.qr.height_mm }}mm">'
                      '<div class="card"><strong>{{ e.organisation }}</strong><br>'
                      '<span class="url">{{ e.url | link }}</span></div>'
                      "</li>{% endfor %}</ul>")
        self.w(i, "</section>{% endif %}")

    def _checkboxes(self, b: Checkboxes, i: int) -> None:
        # appearance: auto (style.css) makes WeasyPrint write a real check box form field, in
        # the line of its label (no space between them: the box's margin is the gap, so a
        # wrapped label lines up under its first line)
        self.w(i, '<ul class="choices">{% for ' + b.loop + ' %}<li><input type="checkbox" name="{{ '
               + b.name + ' }}" title="{{ ' + (b.title or b.label) + ' }}"{% if ' + b.checked + ' %} checked{% endif %}>{{ '
               + b.label + " }}</li>{% endfor %}</ul>")

    def _signaturefields(self, b: SignatureFields, i: int) -> None:
        self.w(i, "<h2>{{ t.common.signatures_heading }}</h2>")
        self.w(i, '<table class="signatures">')
        self.w(i + 1, '<thead><tr><th scope="col">{{ t.common.signature }}</th>'
                      '<th scope="col">{{ t.common.name_clarification }}</th>'
                      '<th scope="col">{{ t.common.signature_date }}</th></tr></thead>')
        self.w(i + 1, "<tbody>{% for " + b.loop + " %}<tr><td class=\"sign\"></td>"
                      "<td>{{ " + b.name + " }}<br>{{ " + b.role + " }}<br>"
                      '<input type="text" name="person.{{ loop.index0 }}.name" '
                      'title="{{ t.common.name_clarification }}: {{ ' + b.name + ' }}"></td>'
                      '<td><input type="text" class="date" name="person.{{ loop.index0 }}.date" '
                      'title="{{ t.common.signature_date }}: {{ ' + b.name + ' }}"></td></tr>{% endfor %}</tbody>')
        self.w(i, "</table>")

    def _signatures(self, b: Signatures, i: int) -> None:
        self.w(i, "<h2>{{ t.common.signatures_heading }}</h2>")
        self.w(i, '<table class="signatures">')
        self.w(i + 1, '<thead><tr><th scope="col">{{ t.common.signature }}</th>'
                      '<th scope="col">{{ t.common.name_clarification }}</th>'
                      '<th scope="col">{{ t.common.signature_date }}</th></tr></thead>')
        self.w(i + 1, "<tbody>{% for " + b.loop + " %}<tr><td class=\"sign\"></td>"
                      "<td>{{ " + b.name + " }}<br>{{ " + b.role + " }}</td><td></td></tr>{% endfor %}</tbody>")
        self.w(i, "</table>")

    def text(self) -> str:
        body = "\n".join(self.lines)
        return ('{% extends "_base.html" %}\n'
                "{# Generated by scripts/build_templates.py; edit freely. #}\n"
                "{% block body %}\n" + body + "\n{% endblock %}\n")


def _html_runs(runs: Sequence[Run]) -> str:
    return "".join(f"<strong>{r.text}</strong>" if isinstance(r, B) else r for r in runs)


BASE_HTML = """<!DOCTYPE html>
{# The page frame of every document: running header and footer, page numbers. #}
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<title>{{ doc.title }}</title>
<meta name="generator" content="sipdocs pack {{ doc.pack.id }} {{ doc.pack.version }}">
<meta name="dcterms.created" content="{{ doc.date_iso }}">
<meta name="dcterms.modified" content="{{ doc.date_iso }}">
</head>
<body class="kind-{{ kind }}">
<header class="page-header">
  <div class="issuer">{{ doc.issuer or '' }}</div>
  <div class="doc-line"><strong>""" + HEADER_TITLE + """</strong> · {{ t.common.document_date }} {{ doc.date }} · {{ t.common.page }} <span class="page-no"></span> {{ t.common.page_of }} <span class="page-count"></span></div>
</header>
<footer class="page-footer">
""" + "\n".join(f"  <div>{line}</div>" for line in FOOTER_LINES) + """
</footer>
<main>
{# the logo as a letterhead on the first page (a running logo is laid out again on every page) #}
{% if doc.logo %}<img class="logo" src="{{ doc.logo.data_uri }}" alt="{{ doc.logo.alt }}" style="width: {{ doc.logo.width_mm }}mm; height: {{ doc.logo.height_mm }}mm">{% endif %}
{% block body %}{% endblock %}
</main>
</body>
</html>
"""


def build(out: Path = OUT) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, layout in LAYOUTS.items():
        docx_writer = DocxWriter()
        docx_writer.emit(layout)
        path = out / f"{kind}.docx"
        docx_writer.save(path)
        written.append(path)
        html_writer = HtmlWriter()
        html_writer.emit(layout)
        path = out / f"{kind}.html"
        path.write_text(html_writer.text(), encoding="utf-8")
        written.append(path)
    base = out / "_base.html"
    base.write_text(BASE_HTML, encoding="utf-8")
    written.append(base)
    return written


if __name__ == "__main__":
    for p in build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p)
