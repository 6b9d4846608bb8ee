"""What the accessibility statement (Erklärung zur Barrierefreiheit) says, after the EU model
statement (Implementing Decision (EU) 2018/1523) and § 7 BITV 2.0.

A municipality is a public body of its state, so its statement names the state's law and the
state's enforcement body (which differs by Land); the federal arbitration board under § 16 BGG is
named as well, since it is where federal bodies' users turn and it advises on where to go.

``ASSESSED_ON`` is the date of the last self-assessment; change it together with the list of
non-accessible content when the checks are run again (``pytest -m browser tests/browser/``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from .models import State

ASSESSED_ON = date(2026, 12, 2)


@dataclass(frozen=True)
class Body:
    name: str
    address: str = ""
    url: str = ""
    email: str = ""


# § 16 BGG: the federal arbitration board at the Federal Government Commissioner for Matters
# relating to Persons with Disabilities.
FEDERAL_ARBITRATION = Body(
    name="Schlichtungsstelle nach dem Behindertengleichstellungsgesetz (§ 16 BGG) bei dem Beauftragten "
    "der Bundesregierung für die Belange von Menschen mit Behinderungen",
    address="Mauerstraße 53, 10117 Berlin",
    url="https://www.schlichtungsstelle-bgg.de",
    email="info@schlichtungsstelle-bgg.de",
)

# Each state's disability equality law (which transposes Directive (EU) 2016/2102 for its public
# bodies, municipalities included).
STATE_LAWS = {
    State.BW: "Landes-Behindertengleichstellungsgesetz (L-BGG)",
    State.BY: "Bayerisches Behindertengleichstellungsgesetz (BayBGG)",
    State.BE: "Landesgleichberechtigungsgesetz (LGBG)",
    State.BB: "Brandenburgisches Behindertengleichstellungsgesetz (BbgBGG)",
    State.HB: "Bremisches Behindertengleichstellungsgesetz (BremBGG)",
    State.HH: "Hamburgisches Behindertengleichstellungsgesetz (HmbBGG)",
    State.HE: "Hessisches Behindertengleichstellungsgesetz (HessBGG)",
    State.MV: "Landesbehindertengleichstellungsgesetz Mecklenburg-Vorpommern (LBGG M-V)",
    State.NI: "Niedersächsisches Behindertengleichstellungsgesetz (NBGG)",
    State.NW: "Behindertengleichstellungsgesetz Nordrhein-Westfalen (BGG NRW)",
    State.RP: "Landesinklusionsgesetz Rheinland-Pfalz (LInklG)",
    State.SL: "Saarländisches Behindertengleichstellungsgesetz (SBGG)",
    State.SN: "Sächsisches Inklusionsgesetz (SächsInklusG) und Barrierefreie-Websites-Gesetz (BfWebG)",
    State.ST: "Behindertengleichstellungsgesetz Sachsen-Anhalt (BGG LSA)",
    State.SH: "Landesbehindertengleichstellungsgesetz Schleswig-Holstein (LBGG)",
    State.TH: "Thüringer Gesetz zur Inklusion und Gleichstellung von Menschen mit Behinderungen (ThürGIG)",
}

# The state's body for the enforcement procedure (Art. 9 of Directive (EU) 2016/2102), as each
# state publishes it. States not listed here are named by their commissioner for people with
# disabilities, who is the contact for the procedure; a municipality can give the exact body in
# its settings (``accessibility_enforcement``), which then replaces this entry.
STATE_ENFORCEMENT = {
    State.BW: Body(
        name="Schlichtungsstelle beim Landeszentrum Barrierefreiheit Baden-Württemberg (LZ-BARR), § 10b L-BGG",
        address="Else-Josenhans-Straße 6, 70173 Stuttgart",
        url="https://barrierefreiheit-bw.de/barrierefreiheitdurchsetzen/schlichtungsantrag",
    ),
    State.BE: Body(
        name="Schlichtungsstelle nach § 33 LGBG bei der Landesbeauftragten für Menschen mit Behinderungen",
        url="https://www.berlin.de/lb/behi/themen/schlichtungsstelle/",
    ),
    State.HB: Body(
        name="Zentralstelle für barrierefreie Informationstechnik der Freien Hansestadt Bremen",
        url="https://www.service.bremen.de/dienstleistungen/beschwerde-gegen-einen-verstoss-gegen-die-"
        "barrierefreiheit-bei-digitalen-angeboten-oeffentlicher-stellen-139830",
    ),
    State.NI: Body(
        name="Schlichtungsstelle nach § 9d NBGG bei der Landesbeauftragten für Menschen mit Behinderungen",
        url="https://www.behindertenbeauftragte-niedersachsen.de/DE/Schlichtungsstelle/Schlichtungsverfahren/"
        "Aufgabe/Aufgabe_node.html",
    ),
    State.NW: Body(
        name="Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen (§§ 10d, 10e BGG NRW)",
        url="https://www.lbbp.nrw.de/ombudsstelle",
    ),
    State.SN: Body(
        name="Beauftragter der Sächsischen Staatsregierung für die Belange von Menschen mit Behinderungen",
        address="Sächsische Staatskanzlei, Archivstraße 1, 01097 Dresden",
        url="https://www.sk.sachsen.de/behindertenbeauftragter-der-saechsischen-staatsregierung.html",
    ),
}


def enforcement_body(state: str) -> Body:
    body = STATE_ENFORCEMENT.get(state)
    if body:
        return body
    label = State(state).label
    return Body(name=f"Landesbeauftragte oder Landesbeauftragter für Menschen mit Behinderungen in {label}")


# The content that is not accessible, with the reason (EU model: non-compliance, disproportionate
# burden, or outside the scope of the law).
NON_ACCESSIBLE = [
    (
        _("Documents uploaded or imported by the municipality"),
        _(
            "Files attached to council papers and media concepts, and files imported from a council "
            "information system, are published as the municipality received them; Stadtlotse checks "
            "their type but not their accessibility. Reason: content of third parties that the "
            "operator does not produce. On request the municipality provides them in another form."
        ),
    ),
    (
        _("Explanations in German Sign Language and in Easy Language"),
        _(
            "The start page does not yet explain the site's content and navigation in German Sign "
            "Language and in Easy Language (§ 4 BITV 2.0). Reason: not yet produced (non-compliance); "
            "they are planned."
        ),
    ),
    (
        _("Generated office documents"),
        _(
            "Council paper drafts (DOCX, PDF) and spreadsheet exports are generated with headings and "
            "table headers, but were not checked with a screen reader. Reason: not yet assessed. The "
            "same content is on the web pages, which were checked."
        ),
    ),
    (
        _("The operator's back office"),
        _(
            "The back office under /betrieb/ (Django's administration, used only by the operator's "
            "staff) was not part of the assessment. Reason: not yet assessed."
        ),
    ),
]
