from core.versioning import current_data_version


def data_version(request):
    """The data version shown in every page's footer (cached; no query on most requests)."""
    return {"data_version": current_data_version}
