from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from products.views import affiliate_redirect
from readers.sitemaps import SITEMAPS

from .media import serve_media
from .views import favicon

admin.site.site_header = "Glutasite editorial"
admin.site.site_title = "Glutasite editorial"
admin.site.index_title = "Guides, evidence and products"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots_txt"),
    path("favicon.ico", favicon, name="favicon"),
    path("go/<slug:token>/", affiliate_redirect, name="affiliate_redirect"),
    path("products/", include("products.urls")),
    path("evidence/", include("evidence.urls")),
    path("", include("guides.urls")),
    path("", include("readers.urls")),
]

if settings.MEDIA_SERVED_BY_DJANGO:
    urlpatterns.append(re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.+)$", serve_media, name="media"))
