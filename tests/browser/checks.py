"""What every page a browser test looks at must pass: axe-core with no critical or serious
violation, and no sideways scroll at the window's width."""

import json
from pathlib import Path

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
BLOCKING = {"critical", "serious"}


def axe_violations(page) -> list[str]:
    """The critical and serious axe-core violations of the page as it is now, one JSON line
    each (rule, impact, help, the first three nodes), with label-content-name-mismatch on."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations'],"
        " rules: {'label-content-name-mismatch': {enabled: true}}})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )
    return [json.dumps(item) for item in found if item["impact"] in BLOCKING]


def fits(page) -> bool:
    """No sideways scroll: the page is no wider than the window."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
