"""Scenario files (`tests/scenarios/*.yaml`, format in docs/scenarios.md): `files` reads and checks one, never
trusting the file (its YAML through `yaml_reader`); `run` builds it through the models in a transaction it rolls
back and plays it through the loaders and the engine; `keep` writes one into the database for good
(`run_scenario --keep`)."""
