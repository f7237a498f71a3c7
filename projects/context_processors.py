from projects.models import DataVersion


def data_version(request):
    """The data version shown in every page's footer (one small query, lazily)."""

    def latest():
        return DataVersion.objects.order_by("-loaded_at").first()

    return {"data_version": latest}
