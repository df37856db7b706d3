from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from products.views import affiliate_redirect
from readers.sitemaps import SITEMAPS

handler500 = "glutasite.outage.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots_txt"),
    path("go/<slug:token>/", affiliate_redirect, name="affiliate_redirect"),
    path("products/", include("products.urls")),
    path("evidence/", include("evidence.urls")),
    path("", include("guides.urls")),
    path("", include("readers.urls")),
] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

if settings.DEBUG:
    # The demo shop's price feed and product pages, which the development server serves itself (demo/shop.py).
    urlpatterns.insert(0, path("demo/", include("demo.urls")))
