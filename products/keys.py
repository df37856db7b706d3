"""Keys people see as one text: one spelling for SKUs and for the brand and merchant names we match.

A SKU typed with a zero-width space, a no-break space, full-width letters or a
Cyrillic “О” looks exactly like the plain one and would make a second product.
`normalise_key()` writes every such text one way (Unicode NFKC, invisible
format characters removed, runs of spaces made one); `mixed_scripts()` names
the letters of a SKU that come from another alphabet than the rest, which no
normalisation can tell from a typo. The import and the admin's product form
both use them.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalise_key(text):
    """NFKC, without format characters (zero-width spaces, joiners, soft hyphens, direction marks),
    control characters or the grapheme joiner, spaces collapsed and trimmed."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    kept = (
        char for char in text if char.isspace() or (unicodedata.category(char) not in ("Cf", "Cc") and char != "\u034f")
    )
    return _SPACES.sub(" ", "".join(kept)).strip()


def script_of(char):
    """“Latin”, “Cyrillic”, “Greek”…: the first word of the letter's Unicode name."""
    return unicodedata.name(char, "UNKNOWN").split()[0].capitalize()


def mixed_scripts(text):
    """None when every letter of `text` is of one alphabet; else a sentence for staff, such as
    “mixes Latin and Cyrillic letters (О is Cyrillic)”."""
    scripts = {}
    for char in text:
        if char.isalpha():
            scripts.setdefault(script_of(char), []).append(char)
    if len(scripts) < 2:
        return None
    # The alphabet with the most letters is the one meant; the others are the look-alikes.
    main = max(scripts, key=lambda name: len(scripts[name]))
    others = [name for name in scripts if name != main]
    strays = ", ".join(f"{''.join(dict.fromkeys(scripts[name]))} is {name}" for name in others)
    return f"mixes {' and '.join([main, *others])} letters ({strays})"


def sku_problem(sku):
    """Why a normalised SKU cannot be used, or None."""
    mixed = mixed_scripts(sku)
    return f"“{sku}” {mixed}. Type it again in one alphabet." if mixed else None
