"""WCAG 2.1 AA contrast, measured in the browser on each role's main pages.

Every element that shows text of its own is checked: its computed colour against the first
opaque background behind it (semi-transparent colours blended in), at least 4.5:1, or 3:1 for
large text (24 px, or 18.66 px bold). Hidden and visually-hidden elements are left out.
"""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES_BY_ROLE = {
    "staff_user": ["/portfolio/ideas/new/", "/clinics/help/"],
    "leader": ["/portfolio/dashboard/", "/portfolio/review/"],
    "partner_user": ["/partners/"],
}

LOW_CONTRAST = """
() => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] >= 1) break;
    }
    let colour = [255, 255, 255, 1];
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const failures = [];
  for (const el of document.body.querySelectorAll('*')) {
    const ownText = [...el.childNodes].some(
      (n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (!ownText) continue;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.visibility === 'hidden' || box.width <= 1 || box.height <= 1) continue;
    const hidden = '.visually-hidden, .visually-hidden-focusable, [hidden], [aria-hidden="true"]';
    if (el.closest(hidden)) continue;
    if (el.closest('option, select, script, style, noscript')) continue;
    if (el.matches(':disabled')) continue;
    const bg = background(el);
    const fg = over(parse(style.color), bg);
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      const text = el.textContent.trim().slice(0, 40);
      failures.push(`${el.tagName.toLowerCase()}.${el.className} "${text}": ${ratio.toFixed(2)}`);
    }
  }
  return failures;
}
"""


@pytest.mark.parametrize("role", sorted(PAGES_BY_ROLE))
def test_text_meets_aa_contrast(request, role, log_in, live_server):
    person = request.getfixturevalue(role)
    page = log_in(person)
    failures = {}
    for path in [None, *PAGES_BY_ROLE[role]]:
        if path:
            page.goto(f"{live_server.url}{path}")
        found = page.evaluate(LOW_CONTRAST)
        if found:
            failures[page.url] = found
    assert failures == {}
