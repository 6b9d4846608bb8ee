# ruff: noqa: E501  (the documents keep their paragraphs as one line each)
"""Full texts of the founding documents (public council papers), as the demo's papers."""

PLAUEN_MOTION = """\
Sehr geehrter Herr Oberbürgermeister,
hiermit übersende ich Ihnen einen Beschlussantrag der SPD/Grüne/Initiative-Stadtratsfraktion Plauen.

Antragstext:

Der Stadtrat beschließt:

Die Stadtverwaltung wird beauftragt eine ganzheitliche Digitalisierungsstrategie aufzustellen mit konkreten Ziel- und Zeitpunkten. Einige Digitalisierungsprojekte werden laufende Kosten verursachen, bei denen auch sichergestellt sein muss, dass diese finanziert werden können. Fördergelder sind oft nur für die Anfangsinvestition vorhanden, nicht aber um laufende Kosten zu decken. Hierfür bedarf es auch eine langfristige Finanzierungsstrategie. Eine erste Darstellung wie die Thematik angegangen werden soll sowie wie die Stadträte/innen am Gesamtprozess beteiligt werden können ist bis Mitte Dezember darzustellen.

Konkret für den Bereich der Schulen soll eine Arbeitsgruppe gegründet werden, welche alle Beteiligten, wie Kreisschülerrat, Eltern- und Lehrerschaft (inklusive Fördervereine der Schulen), beteiligte Unternehmen (z.B. Sternenlabor) sowie den Koordinator Digitalisierung und jeweils eine/n Vertreter/in der Fraktionen einbezieht, um eine gleichwertige Digitalisierung der schulischen Arbeit für alle Schulen zu ermöglichen.

Begründung:

In den nächsten Jahren wird es entscheidend sein, wie sich die Stadt Plauen als Stadt und somit auch die Verwaltung positioniert gegenüber der digitalen Transformation der Prozesse im Dienstleistungsbereich wie auch im beruflichen Alltag aller Verwaltungsmitarbeiter und den von der Stadt Plauen zu betreuenden Aufgaben. Um effektive sowie effiziente Strukturen zu ermöglichen, muss ein ganzheitlicher Blick auf Abläufe und Prozesse gerichtet werden. Gerade im Bereich Schule ist dabei ein beteiligungsorientiertes Vorgehen sinnvoll, dass die Bedürfnisse der Schüler/innen und Vertreter/innen der Schulen umfassend einfließen können und eine passgenaue Umsetzung ermöglicht wird.

Mit dem Antrag der SPD-Grüne Fraktion 167-17 und der darauffolgenden Darstellung der Verwaltung, wurde ein erster Ansatz aufgezeigt. Ein ganzheitliches Digitalisierungskonzept benötigt jedoch administrative Vorgaben und Zielstellungen aus der Führungsspitze sowie die Mitnahme der Mitarbeiter für eine erfolgreiche Umsetzung.

Mit freundlichen Grüßen,
Juliane Pfeil

Fraktionsvorsitzende
"""

PLAUEN_STATEMENT = """\
**Antragstext:**

**Der Stadtrat beschließt:**

Die Stadtverwaltung wird beauftragt eine ganzheitliche Digitalisierungsstrategie aufzustellen mit konkreten Ziel- und Zeitpunkten. Einige Digitalisierungsprojekte werden laufende Kosten verursachen, bei denen auch sichergestellt sein muss, dass diese finanziert werden können. Fördergelder sind oft nur für die Anfangsinvestition vorhanden, nicht aber um laufende Kosten zu decken. Hierfür bedarf es auch eine langfristige Finanzierungsstrategie. Eine erste Darstellung wie die Thematik angegangen werden soll sowie wie die Stadträte/innen am Gesamtprozess beteiligt werden können ist bis Mitte Dezember darzustellen.

Konkret für den Bereich der Schulen soll eine Arbeitsgruppe gegründet werden, welche alle Beteiligten, wie Kreisschülerrat, Eltern- und Lehrerschaft (inklusive Fördervereine der Schulen), beteiligte Unternehmen (z.B. Sternenlabor) sowie den Koordinator Digitalisierung und jeweils eine/n Vertreter/in der Fraktionen einbezieht, um eine gleichwertige Digitalisierung der schulischen Arbeit für alle Schulen zu ermöglichen.

Sehr geehrter Herr Oberbürgermeister,

zum oben genannten Antrag nehmen wir wie folgt Stellung:

Die Erstellung einer ganzheitlichen Digitalisierungsstrategie wurde bereits begonnen in Form der „Digitalagenda“, dieser kann voraussichtlich bis Ende 2021 im Entwurf soweit fertig gestellt werden, dass Sie als Diskussionsgrundlage zur Verfügung gestellt werden kann.

Ein Bestandteil dieser „Digitalagenda“ ist die Strategie zur Weiterentwicklung der gesamten Verwaltungs-IT bis 2028. Der Entwurf dazu existiert seit 4/2021 und wird kontinuierlich fortgeschrieben. Schwerpunkte sind insbesondere die Zentralisierung und Reorganisation der städtischen IT-Strukturen sowie der Einsatz technischer Innovationen bis hin zur zunehmenden Nutzung von Lösungen aus der Public Cloud.

Umsetzungszeitpunkte für die einzelnen Projektziele müssen soweit möglich durch alle Beteiligten festgelegt werden und können nicht von der Stadtverwaltung vorgegeben werden. Ebenso muss durch Politik und weitere Beteiligte die mögliche Finanzierung geklärt werden. Wo möglich können durch die Verwaltung Vorschläge eingebracht werden, z.B. bei förderfähigen Projekten.

Den Vorschlag einer Arbeitsgruppe zum Thema Schulen unterstützen wir gern. Die Organisation ist zu klären, z.B. wie die Vertreter bestimmt werden können. Einen entsprechenden Vorschlag werden wir bis Mitte Dezember vorlegen.

Die Vorschläge zur „Digitalagenda“ und Arbeitsgruppe würden folgend im Bildungs- und Sozialausschuss sowie im Verwaltungsausschuss zur Diskussion vorgestellt werden.

Mit freundlichen Grüßen

Simone Schurig
Schulreferentin

Nick Grimm
Koordinator Digitalisierung

Stefan Wolf
Fachgebietsleiter IT
"""

CELLE_INFORMATION = """\
Vor dem Hintergrund des stetigen Fortschritts der Digitalisierung in der Gesellschaft müssen öffentliche Verwaltung als auch Schulen mit der digitalen Entwicklung Schritt halten.

Ziel dabei ist es, Bürgerinnen, Bürgern und Unternehmen zu ermöglichen, ihre Anliegen an die Verwaltung von überall und jederzeit virtuell über das Internet zu erledigen. Aber auch innerhalb der Verwaltung sind medienbruchfreie Verwaltungsprozesse anzustreben. Eine Handlungsgrundlage bietet dabei auch das im letzten Jahr in Kraft getretene Niedersächsische Gesetz über digitale Verwaltung und Informationssicherheit (NDIG), das den „Gang“ zur Behörde für Bürgerinnen, Bürger und Unternehmen einfacher gestalten soll. Im Bereich Schulen sollten zukünftig verstärkt digitale Medien den Unterricht sinnvoll ergänzen, die zugleich der Vermittlung digitaler Kompetenzen dienen können.

Nicht zuletzt hat auch die Corona-Krise gezeigt, wie wichtig es ist, die Digitalisierung der Verwaltung und der Schulen voranzutreiben.

Dieser Herausforderung ist sich die Stadtverwaltung bewusst und ist stets aktiv, um sich diesbezüglich zukunftssicher aufzustellen. Die Kommunale Datenzentrale Oldenburg (KDO) unterstützt die Stadtverwaltung bei der Einführung digitaler Lösungen, entwickelt jedoch keine IT-Strategie für die Stadt Celle. Der KDO ist die Betriebsverantwortung übertragen worden, die in erster Linie der Betriebserhaltung des laufenden Betriebs der IT dient.

Hinsichtlich des Themas der „Digitalisierung der Stadtverwaltung“ wurden in der Vergangenheit bereits digitale Projekte umgesetzt wie beispielsweise die online-Bestellung und -Bezahlung von Personenstandsurkunden oder die online-Buchung von Kinderbetreuungsangeboten, der Belegung von Sporthallen oder von Terminen im Bürgerbüro.

In der Corona-Krise wurde aus der Notwendigkeit heraus die Möglichkeit von Videokonferenzen geschaffen. Diese flexible Durchführung ortsunabhängiger Meetings hat sich bewährt und wird zukünftig fortgesetzt werden.

Aktuell hat sich die Verwaltung folgende Schwerpunkte gesetzt:

Die online-Terminvergabe soll auf weitere Bereiche der Stadtverwaltung ausgeweitet werden, um diesen Service zu verbessern. Die Terminvergabe wird dabei an bestehende Fachverfahren angebunden werden, um auch innerhalb der Verwaltung effizient Termine zu verwalten.

Seit kurzem ist die Stadt Celle in der Lage, elektronische Rechnungen zu empfangen. Nun gilt es, die unterschiedlichen Verwaltungsbereiche in den Prozess mit einzubinden. Im Zentrum steht dabei die Organisation eines e-Rechnungsworkflows. Die Verwaltungsbereiche werden sukzessive in den Workflow integriert mit dem Ziel einer verwaltungsweiten Nutzung des Workflows.

Ein weiteres Thema, das die Verwaltung zukunftsweisend beschäftigen wird, ist die Umwandlung der papiergebundenen zur elektronischen Verwaltung. Auch wenn es zur diesbezüglichen e-Akte noch keine konkreten Planungen gibt, wird hier zu gegebener Zeit eine stadtweite Einführung angestrebt, um Einzelentwicklungen und damit „Insellösungen“ zu vermeiden.

Weitere digitale Lösungen werden schrittweise folgen. Durch die ständige kritische Betrachtung von Verwaltungsdienstleistungen und Prozessen werden akute Handlungsbedarfe identifiziert und entsprechend digitale „Bausteine“ erarbeitet, die schrittweise umgesetzt werden. Die Digitalisierung der Verwaltung ist ein stetiger Prozess, der durch Implementierung vielfältiger Komponenten vorangetrieben wird.

Im Bereich der Celler Grundschulen arbeiten die Stadt Celle als Schulträger gemeinsam mit den Schulen an einem Projekt zur Digitalisierung der Celler Grundschulen.

Die Stadt Celle strebt dabei insbesondere folgende Ziele an:

- Modernisierung der IT-Ausstattung aller Grundschulen, allumfassend vom Internetanschluss über Präsentationsmedien bis hin zu Endgeräten,
- Professionalisierung von Betreuung und Betrieb der IT,
- Standardisierung der IT,
- Primat der Pädagogik bei der Umsetzung des Konzepts.

Am 09.09.2020 hat ein Workshop mit Schulen und Schulträger stattgefunden, in dem weitere Schritte abgestimmt wurden.

Anschließend werden alle Schulen individuelle, den Anforderungen des Digitalpaktes genügende Medienbildungskonzepte erstellen, um eine nachhaltige Digitalisierung zu realisieren. Parallel dazu erfolgt eine aktuelle technische Bestandsaufnahme in allen Schulen durch den Schulträger. Ergebnis des Prozesses ist ein gemeinsamer Medienentwicklungsplan für alle Schulen, der als Umsetzungsrichtlinie für das Digitalisierungsprojekt dient. Ab dem Jahr 2021 ist die sukzessive Umsetzung vorgesehen.

Im Investitionsprogramm des Haushalts 2020 sind derzeit 2,6 Millionen € und knapp 1 Million € Zuwendungen aus dem Digitalpakt für den Zeitraum bis 2024 veranschlagt. Eine detaillierte Kosten- und Finanzierungsplanung erfolgt im Rahmen des Projektes. Entsprechende Finanzmittel sind dann noch abzustimmen und ggf. von der Politik bereitzustellen.

Die Anfrage ist damit beantwortet und formal erledigt.

gez. Dr. Jörg Nigge
Oberbürgermeister
"""

ISERLOHN_MOTION = """\
Sehr geehrter Herr Bürgermeister,

die CDU-Fraktion im Rat der Stadt Iserlohn bittet um die Aufnahme des o.g. Tagesordnungspunktes für die nächste Sitzung des Haupt- und Personalausschusses.

Begründung:
Mit der Gründung eines Ausschusses für Digitalisierung und Zukunft hat die Politik mit Beginn dieser Legislaturperiode ein Zeichen gesetzt und die Bedeutung dieser Themenfelder für die Stadt Iserlohn herausgestellt. Auch die Verwaltung sollte sich vor diesem Hintergrund neu aufstellen und Strukturen verändern und den aktuellen Herausforderungen anpassen. Das gilt für verschiedene Handlungsfelder. Deshalb greift die CDU dieses Thema noch einmal auf.

Das Thema Digitalisierung wird derzeit vom klassischen EDV-Bereich bearbeitet. Wie sehen es hier als erforderlich an, diese Bereiche voneinander zu trennen. Nur so kann man den tatsächlichen Aufgabenfeldern beider Bereiche gerecht werden und vor allem den Innovationsgeist wecken. Die Abteilung EDV hat in erster Linie die Aufgabe, das verwaltungsinterne „Tagesgeschäft“ und die Büroausstattung im IT-Bereich zu organisieren und zu begleiten. Mit der Schaffung einer neuen „Stabstelle Digitalisierung“ möchten wir vielmehr einen projektorientierten Ansatz verfolgen. Die Stadt Iserlohn hat den Zuschuss für das Förderprojekt „Smart Cities“ erhalten und beteiligt sich am Projekt „A-Bus“ im Rahmen ihrer Teilnahme als „Digitale Modellkommune“. Das Konzept „City Lab Südwestfalen“, welches zum Ziel hat, durch neue digitale Infrastrukturen die Attraktivität der Innenstädte von Iserlohn und Letmathe zu verbessern, geht aktuell in die nächste Phase. Das sind vier Beispiele dafür, in welche thematische Richtung gesamtstädtisch gearbeitet werden soll. Natürlich soll auch die Neuaufstellung digitaler Verwaltungsprozesse initiiert werden, Förderprogramme von EU, Bund und Land sollen pro aktiv für Iserlohn gewonnen werden. Das gilt auch vor dem Hintergrund, dass perspektivisch durch Digitalisierungsprozesse Personalkosten eingespart werden sollen.

Im besten Fall sind die Personalkosten der Stabstelle durch Förderprogramme – zumindest in Teilen – refinanzierbar. Zudem ist zu befürchten, dass die Haushaltssituation vor dem Hintergrund der Corona-Krise sich in den nächsten Jahren deutlich verschlechtern wird. Ziel muss es sein, durch digitale Prozesse Personal einzusparen und damit den Haushalt nachhaltig zu entlasten. Vor dem Hintergrund müssen auch Potentiale zur Einsparung im Personalbereich durch eine Digitalisierungsoffensive “Stichwort E-Government” zu prüfen. Wir bitten ferner um eine kritische Prüfung, inwieweit strukturelle Veränderungen / Personaleinsparungen in der EDV-Abteilung durch die Schaffung der Stabstelle Digitalisierung vorzunehmen sind und auf vorhandenes Wissen aufzusetzen ist, um laufende Projekte nahtlos fortzuführen.

Gemäß der Digitalisierungsstrategie der Stadt Iserlohn, soll die Stabstelle / Abteilung auch über einen personellen Unterbau / personelle Zuarbeit erfolgen. Eine Refinanzierung über Digitalisierungs-Projekte ist zu prüfen!

Der Bereich IT/ EDV ist gegenwärtig im Ressort III angesiedelt. Hier bitten wir um Prüfung einer Ansiedlung der Stabstelle als eigene Abteilung.

Mit freundlichen Grüßen

Fabian Tigges
CDU-Fraktionsvorsitzender
"""
