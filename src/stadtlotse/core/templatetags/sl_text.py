"""Text filters: Markdown rendered and sanitized, numbers as Germans write them."""

from decimal import Decimal

import nh3
from django import template
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

register = template.Library()

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "blockquote", "code", "pre",
                "table", "thead", "tbody", "tr", "th", "td"}  # fmt: skip


@register.filter
def markdown(text: str) -> str:
    """Markdown → HTML, then sanitized with nh3: no scripts, no raw HTML, safe links only."""
    html = _md.render(text or "")
    # Headings inside a section start below the section's own heading.
    for level, new in (("h1", "h3"), ("h2", "h3"), ("h5", "h4"), ("h6", "h4")):
        html = html.replace(f"<{level}>", f"<{new}>").replace(f"</{level}>", f"</{new}>")
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")  # fmt: skip
    return mark_safe(clean)


@register.filter
def num(value, places: int = 2) -> str:
    """A Decimal without trailing zeros, German separators (1.234,5)."""
    if value is None or value == "":
        return "–"
    value = Decimal(value)
    normalized = value.quantize(Decimal(1).scaleb(-int(places))).normalize()
    exponent = normalized.as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return number_format(normalized, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.filter
def lookup(mapping, key):
    """``{{ mapping|lookup:key }}``: a dictionary entry, or None."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
