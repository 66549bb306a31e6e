"""The home page: sends each role to its work (a student to their results), above every other application."""
