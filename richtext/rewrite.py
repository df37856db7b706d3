"""Rewrite sanitised HTML piece by piece: the text readers read, or the tags around it.

Both run on HTML the renderer has already sanitised; whatever they return is
written out as it is, so they escape what they add themselves.
"""

from html import escape
from html.parser import HTMLParser

CODE_TAGS = {"code", "pre"}


class _Rewriter(HTMLParser):
    def __init__(self, text, start_tag):
        super().__init__(convert_charrefs=True)
        self.text = text
        self.start_tag = start_tag
        self.out = []
        self.in_code = 0

    def handle_starttag(self, tag, attrs):
        self.in_code += tag in CODE_TAGS
        replaced = self.start_tag(tag, attrs) if self.start_tag else None
        self.out.append(self.get_starttag_text() if replaced is None else replaced)

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.in_code -= tag in CODE_TAGS and self.in_code > 0
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        rewritten = self.text is not None and not self.in_code
        self.out.append(self.text(data) if rewritten else escape(data, quote=False))


def rewrite_html(html, *, text=None, start_tag=None):
    """Copy `html`, passing text outside <code> and <pre> through `text(data) -> html` and each start
    tag through `start_tag(tag, attrs) -> html or None` (None keeps the tag as it was)."""
    parser = _Rewriter(text, start_tag)
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


def start_tag(tag, attributes):
    """A start tag with these (name, value) attributes, values escaped."""
    return f"<{tag}" + "".join(f' {name}="{escape(value or "")}"' for name, value in attributes) + ">"
