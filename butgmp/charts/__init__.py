"""Charts drawn on the server as SVG, embedded inline in pages and PDFs: no JavaScript, no external request.

Simple charts (histograms, bars, the cohort flow) are laid out here as plain dataclasses (`geometry`) and drawn by
templates under `templates/charts/`; the chart that needs a plotting library (stacked bands with hatches) is drawn
by matplotlib's SVG backend (`plots`), text kept as text and ids stable. Every chart carries a title (`<title>`,
`aria-label`); the pages show its figures in a table next to it. This package imports no application.
"""
