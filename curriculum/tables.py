import django_tables2 as tables


class ProgrammeTable(tables.Table):
    """The programme list; rows are dicts built by the view from the selector's summaries."""

    code = tables.Column(linkify=("curriculum:programme_detail", [tables.A("code")]), verbose_name="Code")
    title = tables.Column(verbose_name="Intitulé")
    iut = tables.Column(verbose_name="IUT")
    parcours = tables.Column(verbose_name="Parcours")
    modality = tables.Column(verbose_name="Modalité")
    first_year = tables.Column(verbose_name="Année")
    version = tables.Column(verbose_name="Version")
    semesters = tables.Column(verbose_name="Semestres")
    findings = tables.TemplateColumn(template_name="curriculum/_findings_count.html", verbose_name="Vérifications")

    class Meta:
        orderable = False
        attrs = {"class": "programmes"}
        empty_text = "Aucun programme n'est encore chargé (commande load_programmes)."
