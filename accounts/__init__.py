"""Accounts the university way: CAS single sign-on, local logins and their policy, password reset, users page."""
