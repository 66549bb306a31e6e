"""Programme descriptions for the `build_programme` fixture (see conftest.py)."""

# S3/S4 of a BUT2: every rule holds (UE4.1 at 40 % resources, UE4.2 at 60 %).
SMALL = {
    3: {
        "modules": {"R3.01": "resource", "R3.02": "resource", "SAE3.01": "sae", "PORTFOLIO3": "portfolio"},
        "ues": [
            ("UE3.1", "C1", 2, 15, [("R3.01", 2, (1.5, 10, 4, 0)), ("R3.02", 2, (0, 6, 6, 0)),
                                    ("SAE3.01", 3.5, (0, 0, 4, 20)), ("PORTFOLIO3", 0.5, (0, 1, 0, 0))]),
            ("UE3.2", "C2", 2, 15, [("R3.01", 3, (1.5, 10, 6, 0)), ("SAE3.01", 3, (0, 2, 4, 10)),
                                    ("PORTFOLIO3", 0, (0, 1, 0, 0))]),
        ],
    },
    4: {
        "modules": {"R4.01": "resource", "SAE4.01": "sae", "STAGE4": "stage"},
        "ues": [
            ("UE4.1", "C1", 2, 15, [("R4.01", 4, (0, 8, 4, 0)), ("SAE4.01", 3, (0, 0, 2, 15)),
                                    ("STAGE4", 3, (0, 0, 0, 0))]),
            ("UE4.2", "C2", 2, 15, [("R4.01", 6, (0, 6, 6, 0)), ("SAE4.01", 4, (0, 2, 2, 15))]),
        ],
    },
}

# S3 only; the source gives no coefficient for SAE3.01.
UNKNOWN_SAE_COEFFICIENT = {3: {
    "modules": {"R3.01": "resource", "SAE3.01": "sae"},
    "ues": [("UE3.1", "C1", 2, 30, [("R3.01", 4, (0, 1, 0, 0)), ("SAE3.01", None, (0, 1, 0, 0))])],
}}
