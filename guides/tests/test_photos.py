import pytest
from django.core.files.storage import default_storage
from django.template import Context, Template
from PIL import Image

from guides.tests.factories import ReviewerFactory
from images.renditions import make_renditions, picture, rendition_name, rendition_widths
from products.models import Product
from products.tests.factories import ProductFactory, jpeg

pytestmark = pytest.mark.django_db


def test_copies_are_made_at_each_width_narrower_than_the_photo_and_at_its_own_width():
    assert rendition_widths(2000) == [240, 480, 960]
    assert rendition_widths(700) == [240, 480, 700]
    assert rendition_widths(200) == [200]


def test_saving_a_product_photo_writes_webp_copies_and_its_size():
    product = ProductFactory()
    product.image.save("tub.jpg", jpeg((1200, 900)))
    product.refresh_from_db()
    assert (product.image_width, product.image_height) == (1200, 900)
    for width in (240, 480, 960):
        name = rendition_name(product.image.name, width)
        with default_storage.open(name) as copy:
            image = Image.open(copy)
            assert image.format == "WEBP"
            assert image.size == (width, round(900 * width / 1200))


def test_a_rotated_phone_photo_is_sized_as_readers_see_it():
    product = ProductFactory()
    product.image.save("phone.jpg", jpeg((800, 600), orientation=6))  # taken holding the phone upright
    product.refresh_from_db()
    assert (product.image_width, product.image_height) == (600, 800)
    with default_storage.open(rendition_name(product.image.name, 480)) as copy:
        assert Image.open(copy).size == (480, 640)


def test_copies_are_not_made_again_when_the_photo_is_unchanged(monkeypatch):
    product = ProductFactory()
    product.image.save("tub.jpg", jpeg((600, 600)))
    made = []
    monkeypatch.setattr("images.renditions.make_renditions", lambda photo: made.append(photo) or (1, 1))
    product = Product.objects.get(pk=product.pk)
    product.name = "Renamed"
    product.save()
    assert made == []


def test_removing_the_photo_clears_its_size():
    product = ProductFactory()
    product.image.save("tub.jpg", jpeg((600, 600)))
    product = Product.objects.get(pk=product.pk)
    product.image = ""
    product.save()
    product.refresh_from_db()
    assert (product.image_width, product.image_height) == (None, None)
    assert product.photo is None


def test_the_page_lists_the_copies_with_width_and_height_and_never_the_original():
    product = ProductFactory()
    product.image.save("tub.jpg", jpeg((1200, 900)))
    html = Template('{% load images %}{% picture product.photo "The tub" 240 sizes="50vw" %}').render(
        Context({"product": Product.objects.get(pk=product.pk)}),
    )
    assert 'width="240" height="180"' in html
    assert 'sizes="50vw"' in html
    assert ".240w.webp 240w" in html
    assert ".960w.webp 960w" in html
    assert 'src="/media/products/tub' in html
    assert '.240w.webp"' in html
    assert ".jpg" not in html  # the upload, with its camera metadata, is never sent to readers
    assert 'alt="The tub"' in html
    assert 'loading="lazy"' in html


def test_a_reviewer_portrait_gets_copies_too():
    reviewer = ReviewerFactory()
    reviewer.photo.save("dana.png", jpeg((480, 480)))
    reviewer.refresh_from_db()
    assert [r.width for r in reviewer.portrait.renditions] == [240, 480]


def test_a_photo_without_a_stored_size_shows_nothing_rather_than_shift_the_page():
    assert picture(None, None, None) is None
    product = ProductFactory()
    product.image.save("tub.jpg", jpeg((300, 300)))
    Product.objects.filter(pk=product.pk).update(image_width=None)
    assert Product.objects.get(pk=product.pk).photo is None


def test_make_renditions_returns_the_size_it_read():
    product = ProductFactory()
    product.image.save("tub.jpg", jpeg((300, 200)))
    assert make_renditions(product.image) == (300, 200)
