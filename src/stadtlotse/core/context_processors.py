def municipality(request):
    """The municipality the page belongs to (set by ``municipality_view``), or None."""
    return {"municipality": getattr(request, "municipality", None)}
