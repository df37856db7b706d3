from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from products.views import affiliate_redirect
from readers.views import sitemap_xml

from .media import serve_media
from .views import favicon

handler500 = "glutasite.outage.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap_xml, name="sitemap"),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots_txt"),
    path("favicon.ico", favicon, name="favicon"),
    path("go/<slug:token>/", affiliate_redirect, name="affiliate_redirect"),
    path("products/", include("products.urls")),
    path("evidence/", include("evidence.urls")),
    path("", include("guides.urls")),
    path("", include("readers.urls")),
]

if settings.DEBUG:
    # The demo shop's price feed and product pages, which the development server serves itself (demo/shop.py).
    urlpatterns.insert(0, path("demo/", include("demo.urls")))

if settings.MEDIA_SERVED_BY_DJANGO:
    urlpatterns.append(re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.+)$", serve_media, name="media"))
