"""The core: every model, the pure engine (`engine`), the loaders that feed it, the writes (`services`, journaled)
and reads (`selectors`), and the grade-entry pages (`forms`, `views`). Imports `curriculum` and `butgmp` only."""
