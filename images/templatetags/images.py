from django import template

register = template.Library()


@register.inclusion_tag("images/_picture.html")
def picture(photo, alt, width, sizes="", css_class="", eager=False):
    """A photo from `images.renditions.picture()` shown `width` CSS pixels wide at most, with its
    copies in srcset and width and height set so the page does not move while it loads."""
    shown = photo.for_width(width) if photo else None
    return {
        "photo": photo,
        "src": shown,
        "alt": alt,
        "width": width,
        "height": round(shown.height * width / shown.width) if shown else 0,
        "sizes": sizes or f"{width}px",
        "css_class": css_class,
        "eager": eager,
    }
