"""Writes of the accounts app, one module per concern; each in one transaction with its journal rows."""
