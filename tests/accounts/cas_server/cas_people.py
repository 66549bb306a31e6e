"""The university directory of the test CAS server: a few people, their password and attributes.

No import of cas_server here: the tests read it too."""
PASSWORD = "mot-de-passe-cas"
STUDENT_NIP = "21901234"

PEOPLE = {
    # a teacher the application knows by login (no cas_id of their own)
    "mdupont": {"uid": "mdupont", "mail": "marie.dupont@univ.example.fr", "displayName": "Marie Dupont"},
    # a teacher whose CAS identifier differs from their login in the application
    "p.martin7": {"uid": "p.martin7", "mail": "paul.martin@univ.example.fr", "displayName": "Paul Martin"},
    # a student, known to the application only by the NIP the CAS releases
    "lbernard": {"uid": "lbernard", "supannEtuId": STUDENT_NIP, "displayName": "Léa Bernard"},
    # a student of the university not enrolled in the department
    "xautre": {"uid": "xautre", "supannEtuId": "21999999", "displayName": "Xavier Autre"},
    # somebody of the university the application does not know at all
    "inconnu": {"uid": "inconnu", "mail": "inconnu@univ.example.fr", "displayName": "Ines Connue"},
}
