"""Apogée maquettes built for the tests, in the format Apogée and ScoDoc exchange (ISO-8859-1, CRLF, tabs)."""

ELEMENTS = [  # (object type, code, label)
    ("VET", "V2GMP", "BUT GMP 2e année"),
    ("ELP", "VGMU31", "UE 3.1 Spécifier"),
    ("ELP", "VGMU32", "UE 3.2 Développer"),
    ("ELP", "VGMRC1", "RCUE Spécifier niveau 2"),
    ("ELP", "VGMS3", "Semestre 3"),
    ("ELP", "VGMR301", "R3.01 Mécanique"),
]
KINDS = {"VET": "NBR", "ELP": "NBJR"}
RESULT_TYPES = ["10\tADM\tAJ\tAJAC\tDEF\tDEM\tCMP\tADJ\tPASD", "ADM\tAdmis", "AJ\tAjourné", "CMP\tCompensé"]
STUDENTS = [("12345678", "DURAND", "Hélène", "03/04/2005"), ("22345678", "LEFÈVRE", "Loïc", "17/11/2004"),
            ("32345678", "MARTIN", "Zoé", "01/01/2005")]


def columns(elements=ELEMENTS) -> list[tuple[str, str, str, str, str]]:
    """Return (key, object type, code, kind, label) for every value column, in order."""
    out = []
    for object_type, code, label in elements:
        for kind in KINDS[object_type]:
            out.append((f"apoL_c{len(out) + 1:04d}", object_type, code, kind, label))
    return out


def maquette_lines(*, elements=ELEMENTS, students=STUDENTS, merged_row: bool = False,
                   result_types=RESULT_TYPES) -> list[str]:
    cols = columns(elements)
    lines = ["XX-APO_TITRES-XX", "apoC_annee\t2025/2026", "apoC_cod_dip\tBGMP", "apoC_Cod_Exp\t1",
             "apoC_cod_vdi\t123", "apoC_Fichier_Exp\tC:\\Apogée\\maquette.txt", "apoC_lib_dip\tBUT Génie Mécanique",
             "apoC_Titre1\tExport Apogée du 01/07/2026 à 10:00", "apoC_Titre2\t", "",
             "XX-APO_TYP_RES-XX", *result_types, "",
             "XX-APO_COLONNES-XX",
             "apoL_a01_code\tType Objet\tCode\tVersion\tAnnée\tSession\tAdmission/Admissibilité\tType Rés.\t\t\t"
             "Etudiant\tNuméro",
             "apoL_a02_nom\t\t\t\t\t\t\t\t\t\t1\tNom",
             "apoL_a03_prenom\t\t\t\t\t\t\t\t\t\t1\tPrénom",
             "apoL_a04_naissance\t\t\t\t\t\t\t\tSession\tAdmissibilité\tNaissance",
             "APO_COL_VAL_DEB"]
    for key, object_type, code, kind, label in cols:
        version = "123" if object_type == "VET" else ""
        lines.append(f"{key}\t{object_type}\t{code}\t{version}\t2025\t0\t1\t{kind}\t{label}\t0\t1\t")
    lines += ["APO_COL_VAL_FIN", f"apoL_c{len(cols) + 1:04d}\tAPO_COL_VAL_FIN", "", "XX-APO_VALEURS-XX",
              "\t".join(["apoL_a01_code", "apoL_a02_nom", "apoL_a03_prenom", "apoL_a04_naissance",
                         *(c[0] for c in cols)])]
    for i, (nip, last, first, born) in enumerate(students):
        names = [f"{last} {first}"] if merged_row and i == 1 else [last, first]
        lines.append("\t".join([nip, *names, born, *([""] * len(cols))]))
    return lines


def maquette_bytes(**kwargs) -> bytes:
    return ("\r\n".join(maquette_lines(**kwargs)) + "\r\n").encode("iso-8859-1")
