def wants_fragment(request) -> bool:
    """htmx asks for a part of the page, except when it restores the history (back button):
    then it needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request
