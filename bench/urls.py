"""URLconf of the benchmark: the project's own URLs plus one trivial view, the floor.

``bench_portfolio`` sets ``ROOT_URLCONF`` to this module, so the floor goes through exactly the
same middleware stack as the pages it is compared with.
"""

from django.http import HttpResponse
from django.urls import path

from stadtlotse import urls as project_urls

FLOOR_PATH = "/__bench__/floor/"


def floor(request):
    """A view that does nothing: what every request costs before the page itself."""
    return HttpResponse("ok", content_type="text/plain")


handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500

urlpatterns = [path(FLOOR_PATH.strip("/") + "/", floor), *project_urls.urlpatterns]
