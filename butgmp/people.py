"""People as the application names them: by their first and last names, never by their login."""


def person_name(user) -> str:
    """Return a user's full name ("Sophie Lambert"), or their login when the account has no name; "" for nobody."""
    if user is None:
        return ""
    return user.get_full_name().strip() or user.get_username()
