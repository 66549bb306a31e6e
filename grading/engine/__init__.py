"""The BUT rules engine (rules.md R1–R19): plain data in, plain data out, no Django import."""
from .compute import compute

__all__ = ["compute"]
