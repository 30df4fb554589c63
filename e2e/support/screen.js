// What a phone screen must be, read from the page as laid out: no horizontal scroll, no element
// clipping its own text (a table wider than its column is fine only inside a scroll region with a
// name), every control a finger can hit (44×44 CSS px; inline text links excepted), and the
// sticky header's height. Shared by screens.spec.js and the screenshot tour; each check returns
// what is wrong in words, so a failure names the element.

/** The smallest target a finger can hit, in CSS pixels (phone platforms' guidelines). */
export const MIN_TARGET = 44;

/**
 * Everything on the page that breaks the rules, as lines of text (empty when all is well).
 * Only what is rendered counts: elements that are `display: none`, `visibility: hidden`,
 * visually hidden (1×1 clipped) or inside a closed `<details>` are skipped.
 */
export async function screenProblems(page) {
  return page.evaluate((min) => {
    const problems = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) {
      problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px wide in ${width} px`);
    }
    const describe = (el) => {
      const id = el.id ? `#${el.id}` : "";
      const testid = el.dataset?.testid ? `[data-testid=${el.dataset.testid}]` : "";
      const cls = typeof el.className === "string" && el.className ? `.${el.className.trim().split(/\s+/).join(".")}` : "";
      const text = (el.getAttribute("aria-label") || el.textContent || el.value || "").trim().replace(/\s+/g, " ").slice(0, 40);
      return `${el.tagName.toLowerCase()}${id}${testid}${cls} "${text}"`;
    };
    const rendered = (el) => {
      if (el.closest("details:not([open]) > :not(summary)")) return false;
      const style = getComputedStyle(el);
      if (style.visibility === "hidden" || style.display === "none") return false;
      const r = el.getBoundingClientRect();
      if (r.width <= 1 && r.height <= 1) return false;
      // Visually hidden (for screen readers only): clipped to nothing by an ancestor or itself.
      for (let e = el; e && e !== document.body; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.clipPath === "inset(50%)" || (s.position === "absolute" && e.getBoundingClientRect().width <= 1)) return false;
      }
      return el.getClientRects().length > 0;
    };
    /** A scroll container with a name: a table may be wider than the screen inside it. */
    const inNamedScroller = (el) => {
      for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (/(auto|scroll)/.test(s.overflowX) && e.getAttribute("role") === "region" && e.getAttribute("aria-label")) return true;
      }
      return false;
    };

    // Controls: buttons, selects, inputs, toggles, disclosure summaries, link-buttons.
    const controls = document.querySelectorAll(
      "button, select, input:not([type=hidden]), textarea, summary, [role=button]:not(g), a.button, nav a",
    );
    for (const el of controls) {
      if (!rendered(el)) continue;
      // A glossary term is a link in running text (its tap area grows around it: styles/main.css).
      if (el.matches("button.term")) continue;
      // A file input shows through its label, which is the target.
      const target = el.matches("input[type=file]") && el.closest("label") ? el.closest("label") : el;
      const r = target.getBoundingClientRect();
      if (r.width + 0.5 < min || r.height + 0.5 < min) {
        problems.push(`too small to tap (${Math.round(r.width)}×${Math.round(r.height)} px): ${describe(target)}`);
      }
    }

    // Text clipped by its own box: a box that hides overflow and has more text than fits.
    for (const el of document.body.querySelectorAll("*")) {
      if (el.closest("svg") || !rendered(el)) continue;
      const s = getComputedStyle(el);
      const hidesX = /(hidden|clip)/.test(s.overflowX) || s.textOverflow === "ellipsis";
      const hidesY = /(hidden|clip)/.test(s.overflowY);
      const clippedX = hidesX && el.scrollWidth > el.clientWidth + 1;
      // A box that scrolls sideways hides what is past its edge: only in a named region.
      const scrollsX = /(auto|scroll)/.test(s.overflowX) && el.scrollWidth > el.clientWidth + 1;
      if (scrollsX && !(el.getAttribute("role") === "region" && el.getAttribute("aria-label"))) {
        problems.push(`scrolls sideways, unnamed (${el.scrollWidth} in ${el.clientWidth} px): ${describe(el)}`);
      }
      // Text spilling out of its own box (a squeezed button, a cell narrower than its number).
      const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim() !== "");
      if (ownText && /visible/.test(s.overflowX) && s.display !== "inline" && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
        problems.push(`its text spills out (${el.scrollWidth} in ${el.clientWidth} px): ${describe(el)}`);
      }
      const clippedY = hidesY && el.scrollHeight > el.clientHeight + 1;
      if ((clippedX || clippedY) && el.textContent.trim() !== "" && !el.matches("select, input, textarea")) {
        problems.push(`clips its text (${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight}): ${describe(el)}`);
      }
      // Past the screen's edge, or past the box that clips it (overflow, or paint containment
      // such as content-visibility's), and not inside a named scroll region.
      const r = el.getBoundingClientRect();
      // Wholly off screen on purpose (a skip link until it has the focus).
      if (r.right <= 0 || r.left >= width) continue;
      if (s.position === "fixed" || inNamedScroller(el)) continue;
      let right = width;
      let left = 0;
      for (let e = el.parentElement; e && e !== document.documentElement; e = e.parentElement) {
        const es = getComputedStyle(e);
        if (!/visible/.test(es.overflowX) || es.contentVisibility === "auto" || /paint|strict|content/.test(es.contain)) {
          const box = e.getBoundingClientRect();
          right = Math.min(right, box.right);
          left = Math.max(left, box.left);
        }
      }
      if (r.width > 0 && (r.right > right + 0.5 || r.left < left - 0.5)) {
        problems.push(`cut off at the edge (${Math.round(r.left)}…${Math.round(r.right)}, visible ${Math.round(left)}…${Math.round(right)} px): ${describe(el)}`);
      }
    }
    // One line per element: a wide parent and its children are said once each.
    return [...new Set(problems)];
  }, MIN_TARGET);
}

/** The sticky header's height in CSS pixels. */
export async function headerHeight(page) {
  return (await page.locator(".masthead").boundingBox()).height;
}
