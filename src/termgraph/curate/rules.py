"""Every segment-level rule, in one call."""

from __future__ import annotations

from termgraph.curate.asides import aside_rules
from termgraph.curate.masking import Masked
from termgraph.curate.patterns import Found, definition_rules, hearst_rules, is_a_rules
from termgraph.curate.relations import architecture_rules, built_on_rules, maker_rules, pair_rules, synonymy_rules


def segment_rules(m: Masked, article: str, kind: str) -> list[Found]:
    found = (definition_rules(m, article, kind) + is_a_rules(m) + hearst_rules(m) + maker_rules(m)
             + built_on_rules(m) + architecture_rules(m) + synonymy_rules(m, article) + pair_rules(m))
    return found + aside_rules(m, found)
