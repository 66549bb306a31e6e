from accounts.policy import LOCAL_REFUSED, cas_enabled


def sign_in(request):
    """Tell the login page whether CAS is on, and why a password login may have been refused."""
    return {"cas_enabled": cas_enabled(), "local_refused_message": LOCAL_REFUSED}
