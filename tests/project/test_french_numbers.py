"""Numbers written the engine's way (points) become French (commas) in sentences; codes are left alone."""
from butgmp.formats import french_number, french_numbers_in


def test_numbers_get_a_comma_and_codes_keep_their_points():
    sentence = "R3.03 (coef. 2) : 13.67 ; UE3.1 avant bonus 12.38, après 12.5 ; SAE3.01 : 0.50 ; v1.2.3"
    assert french_numbers_in(sentence) == (
        "R3.03 (coef. 2) : 13,67 ; UE3.1 avant bonus 12,38, après 12,5 ; SAE3.01 : 0,50 ; v1.2.3")
    assert french_number("12.38") == "12,38" and french_number(None) is None
    assert french_numbers_in("moyenne 10") == "moyenne 10"
