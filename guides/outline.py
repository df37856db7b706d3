"""The guide page's blocks in reading order: what the page shows and its table of contents lists.

`outline()` returns one `Block` per block the guide has something for: the
anchor of its heading, its label and the template that draws it. The page
draws the blocks in this order and the table of contents links to them, so the
two cannot drift apart. Citation numbers follow the parts registry's page
order (`guides.parts`); `guides/tests/test_outline.py` checks that it agrees
with this one.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Block:
    anchor: str
    label: str
    template: str
    item: Any = None  # the row a block is about, such as one section
    in_contents: bool = True
    shows_prices: bool = False  # drawn afresh on every request (guides/prerendered.py)


def outline(guide, *, ranked_products, references, changes):
    blocks = []
    if guide.key_benefits.all():
        blocks.append(Block("key-benefits", "Key benefits", "guides/blocks/_key_benefits.html"))
    if ranked_products:
        blocks.append(
            Block("ranked-products", "Our ranked picks", "guides/blocks/_ranked_products.html", shows_prices=True)
        )
        blocks.append(Block("comparison", "Comparison table", "guides/blocks/_comparison.html", shows_prices=True))
    for section in guide.sections.all():
        blocks.append(Block(f"section-{section.pk}", section.heading, "guides/blocks/_section.html", section))
    if guide.complaints.all():
        blocks.append(Block("complaints", "Common complaints, answered", "guides/blocks/_complaints.html"))
    if guide.safety_warnings.all():
        blocks.append(Block("safety", "Safety and interactions", "guides/blocks/_safety.html"))
    if guide.expert_take_html:
        blocks.append(Block("expert-take", "Expert take", "guides/blocks/_expert_take.html"))
    if guide.faqs.all():
        blocks.append(Block("faq", "Frequently asked questions", "guides/blocks/_faq.html"))
    if references:
        blocks.append(Block("references", "References", "guides/blocks/_references.html"))
    if ranked_products:
        blocks.append(
            Block(
                "cta-heading",
                "Ready to try it?",
                "guides/blocks/_shop_top_pick.html",
                in_contents=False,
                shows_prices=True,
            )
        )
    if changes:
        blocks.append(Block("what-changed", "What changed", "guides/blocks/_what_changed.html"))
    return blocks
