"""Demo projects from the founding documents, built through the services.

Project names follow the documents (Celle, Iserlohn, Sindelfingen, Plauen); dates, scores,
reports and decisions are invented for the demo.
"""

from __future__ import annotations

from datetime import date

from stadtlotse.core.models import Department, Municipality

from . import services
from .models import Criterion, Project, ProjectStatus

# (key, title, summary, department code, status, start, end, visibility, scores, milestones)
# scores: citizen_benefit, efficiency, legal_urgency, strategic_fit, effort, structural_change
PROJECTS = {
    "celle": [
        ("C-01", "Online-Terminvergabe ausweiten und an Fachverfahren anbinden",
         "Online-Termine für weitere Bereiche, angebunden an die bestehenden Fachverfahren.", "05", "in_progress",
         date(2021, 1, 1), date(2022, 12, 31), "public", (5, 4, 3, 4, 2, 2),
         [("Anbindung Bürgerbüro", date(2021, 6, 30)), ("Weitere Ämter angebunden", date(2022, 9, 30))]),
        ("C-02", "E-Rechnungs-Workflow verwaltungsweit einführen",
         "Die Verwaltungsbereiche werden nacheinander in den Workflow für elektronische Rechnungen eingebunden.",
         "20", "in_progress", date(2020, 11, 1), date(2023, 6, 30), "public", (2, 5, 5, 4, 3, 3),
         [("Pilotbereich Finanzen", date(2021, 3, 31)), ("Alle Fachdienste im Workflow", date(2023, 6, 30))]),
        ("C-03", "E-Akte stadtweit einführen", "Stadtweite Einführung der elektronischen Akte statt Insellösungen.",
         "05", "proposed", date(2023, 1, 1), date(2026, 12, 31), "public", (3, 5, 4, 5, 5, 5),
         [("Konzept und Ausschreibung", date(2023, 9, 30))]),
        ("C-04", "Personenstandsurkunden online bestellen und bezahlen",
         "Online-Bestellung und -Bezahlung von Urkunden des Standesamts.", "34", "completed",
         date(2019, 3, 1), date(2020, 6, 30), "public", (4, 3, 3, 3, 1, 1),
         [("Online-Bezahlung live", date(2020, 6, 30))]),
        ("C-05", "Digitalisierung der Celler Grundschulen",
         "Modernisierung der IT aller Grundschulen vom Internetanschluss bis zu Endgeräten; DigitalPakt.", "40",
         "in_progress", date(2021, 1, 1), date(2024, 12, 31), "public", (5, 2, 4, 5, 5, 3),
         [("Technische Bestandsaufnahme aller Schulen", date(2021, 3, 31)),
          ("Medienentwicklungsplan beschlossen", date(2021, 9, 30))]),
    ],
    "iserlohn": [
        ("I-01", "Smart Cities Modellprojekt", "Gefördertes Modellprojekt Smart Cities.", "SD", "in_progress",
         date(2021, 1, 1), date(2027, 12, 31), "public", (4, 3, 2, 5, 4, 3),
         [("Smart-City-Strategie beschlossen", date(2022, 6, 30))]),
        ("I-02", "A-Bus (Digitale Modellkommune)", "Beteiligung am Projekt A-Bus als Digitale Modellkommune.",
         "SD", "in_progress", date(2021, 4, 1), date(2024, 3, 31), "public", (4, 2, 1, 4, 4, 2), []),
        ("I-03", "City Lab Südwestfalen", "Neue digitale Infrastrukturen für die Innenstädte Iserlohn und Letmathe.",
         "61", "approved", date(2022, 1, 1), date(2025, 12, 31), "public", (4, 2, 1, 4, 3, 2), []),
        ("I-04", "Digitale Verwaltungsprozesse neu aufstellen",
         "Prozesse digitalisieren und Personalkosten perspektivisch einsparen.", "SD", "proposed",
         date(2022, 1, 1), date(2026, 12, 31), "internal", (3, 5, 3, 4, 4, 4), []),
    ],
    "sindelfingen": [
        ("S-01", "Dokumentenmanagementsystem", "Stadtweites DMS unter Federführung des Amts für Digitalisierung.",
         "12", "in_progress", date(2021, 3, 1), date(2024, 12, 31), "public", (2, 5, 3, 5, 4, 4),
         [("Pilotamt live", date(2022, 6, 30))]),
        ("S-02", "Onlinezugang (OZG) – Top-Leistungen", "Die meistgenutzten Leistungen online anbieten.", "12",
         "in_progress", date(2021, 1, 1), date(2025, 12, 31), "public", (5, 4, 5, 5, 3, 2), []),
        ("S-03", "WLAN im Rathaus für Besucher", "Offenes WLAN in den Wartebereichen.", "10", "approved",
         date(2026, 12, 1), date(2027, 3, 31), "public", (4, 1, 0, 3, 1, 0), []),
        ("S-04", "Digitale Sitzungsunterlagen für den Gemeinderat", "Papierlose Gremienarbeit.", "10", "approved",
         date(2027, 1, 1), date(2027, 5, 31), "public", (4, 5, 2, 5, 1, 1), []),
        ("S-05", "Hardware-Beschaffung Verwaltungsarbeitsplätze", "Standardisierte Endgeräte.", "12", "proposed",
         date(2026, 9, 1), date(2027, 6, 30), "public", (1, 3, 2, 3, 3, 1), []),
    ],
    "plauen": [
        ("P-01", "Zentralisierung der städtischen IT", "Zentralisierung und Reorganisation der IT-Strukturen.",
         "10.2", "in_progress", date(2021, 4, 1), date(2026, 12, 31), "public", (2, 5, 2, 5, 4, 5),
         [("Rechenzentrum konsolidiert", date(2023, 12, 31)), ("Fachverfahren migriert", date(2026, 6, 30))]),
        ("P-02", "Cloud-Arbeitsplatz", "Lösungen aus der Public Cloud datenschutzkonform nutzen.", "10.2",
         "approved", date(2024, 1, 1), date(2028, 12, 31), "internal", (2, 4, 1, 4, 4, 3), []),
        ("P-03", "Schul-WLAN in allen Plauener Schulen", "Gleichwertige Ausstattung aller Schulen.", "40",
         "in_progress", date(2022, 1, 1), date(2027, 7, 31), "public", (5, 2, 3, 5, 4, 2),
         [("Arbeitsgruppe Schulen konstituiert", date(2022, 2, 28))]),
    ],
}  # fmt: skip

SCORE_KEYS = ["citizen_benefit", "efficiency", "legal_urgency", "strategic_fit", "effort", "structural_change"]

# (foundation, dependent): the dependent builds on the foundation.
DEPENDENCIES = {
    "celle": [("C-02", "C-03")],
    "sindelfingen": [("S-01", "S-04"), ("S-01", "S-02")],
    "plauen": [("P-01", "P-02")],
    "iserlohn": [("I-01", "I-03")],
}
# (project key, start of the goal's title) in the municipality's strategy
GOAL_LINKS = {
    "plauen": [("P-01", "IT-Strukturen"), ("P-02", "Public-Cloud"), ("P-03", "Alle Schulen")],
    "sindelfingen": [("S-02", "Onlinezugang"), ("S-01", "Digitallotsin")],
}


def _report(project, by, period, on, lights, percent, text, steps=""):
    scope, time, budget = lights
    services.add_status_report(project=project, by=by, period=period, reported_on=on, scope=scope, time=time,
                               budget=budget, progress_percent=percent, text=text, next_steps=steps)  # fmt: skip


def load() -> None:
    for slug, rows in PROJECTS.items():
        municipality = Municipality.objects.get(slug=slug)
        services.ensure_default_criteria(municipality)
        criteria = {c.key: c.pk for c in Criterion.objects.filter(municipality=municipality, scheme="default")}
        departments = {d.code: d for d in Department.objects.filter(municipality=municipality)}
        by_key: dict[str, Project] = {}
        for key, title, summary, dept, status, start, end, visibility, scores, milestones in rows:
            project = services.create_project(
                municipality=municipality, by=None, external_id=key, title=title, summary=summary,
                lead_department=departments.get(dept), planned_start=start, planned_end=end, visibility=visibility,
                status=status,
            )  # fmt: skip
            if status in (ProjectStatus.IN_PROGRESS, ProjectStatus.COMPLETED):
                project.actual_start = start
                project.actual_end = end if status == ProjectStatus.COMPLETED else None
                project.save(update_fields=["actual_start", "actual_end"])
            for title_m, due in milestones:
                m = services.add_milestone(
                    project=project, by=None, title=title_m, due_date=due, confirm_after_end=True
                )
                if due < date(2024, 1, 1):
                    services.update_milestone(milestone=m, by=None, status="done", done_date=due,
                                              confirm_after_end=True)  # fmt: skip
            values = {criteria[k]: (v, "") for k, v in zip(SCORE_KEYS, scores, strict=True)}
            services.assess_project(project=project, by=None, scores=values)
            by_key[key] = project
        for foundation, dependent in DEPENDENCIES.get(slug, []):
            services.add_dependency(foundation=by_key[foundation], dependent=by_key[dependent], by=None)
        for project in by_key.values():
            if project.status == ProjectStatus.IN_PROGRESS:
                _report(project, None, "2026-Q3", date(2026, 10, 5), ("green", "yellow", "green"), 60,
                        "Umsetzung läuft; ein Teilschritt verzögert sich um einige Wochen.",
                        "Abnahme der nächsten Ausbaustufe.")  # fmt: skip
    _goal_links()
    _decision()


def _goal_links() -> None:
    from stadtlotse.strategy.models import Goal

    for slug, links in GOAL_LINKS.items():
        for key, title in links:
            project = Project.objects.get(municipality__slug=slug, external_id=key)
            goal = Goal.objects.filter(municipality=project.municipality, title__startswith=title,
                                       version__status="adopted").first()  # fmt: skip
            services.link_goal(project=project, goal=goal, by=None)


def _decision() -> None:
    """Sindelfingen: the public decision on workplace hardware a citizen asked for."""
    project = Project.objects.get(municipality__slug="sindelfingen", external_id="S-05")
    decision = services.create_decision(
        project=project, by=None, title="Auswahl der Standard-Endgeräte",
        question="Welches Gerätemodell wird für die Verwaltungsarbeitsplätze beschafft?",
        options=["Notebook A (Mietmodell)", "Notebook B (Kauf)", "Thin Client mit VDI"],
        criteria=[("Gesamtkosten über 5 Jahre", 35), ("Datenschutz und Sicherheit", 25),
                  ("Energieverbrauch", 15), ("Mobiles Arbeiten", 25)],
    )  # fmt: skip
    options = list(decision.options.all())
    criteria = list(decision.criteria.all())
    table = [[6, 8, 7, 9], [7, 8, 6, 9], [8, 9, 9, 3]]
    services.set_decision_scores(decision=decision, by=None, scores={
        (o.pk, c.pk): table[i][j] for i, o in enumerate(options) for j, c in enumerate(criteria)})  # fmt: skip
    services.decide(
        decision=decision, by=None, chosen=options[1], decided_on=date(2026, 7, 14), visibility="public",
        reasoning="Höchste gewichtete Gesamtbewertung; mobiles Arbeiten ist für die Ämter zentral.",
    )  # fmt: skip
