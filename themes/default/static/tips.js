/* Day tips for the keyboard and for screen readers; the page is complete without it.
 *
 * As built, a row of day marks (.bars) is a picture hidden from screen readers: a day's tip (its data-tip, drawn
 * by the stylesheet) shows on hover and on a tap, and the component's page lists every day in a table. This
 * makes each row one slider: one Tab stop whatever its number of days; the arrow keys move from day to day
 * (Left and Right as the row is drawn, so mirrored in a right-to-left page), Home and End to the first and last
 * day drawn; a screen reader says the day's text as the slider's value. One tip at a time shows per row, the
 * day last pointed at or moved to, while the row has focus or the pointer; Escape hides it without moving
 * focus or pointer (WCAG 1.4.13).
 *
 * A slider rather than focusable days: ninety marks a few pixels wide would be ninety targets far under the
 * 24px that WCAG 2.5.8 asks of a control, and screen readers pass arrow keys to a slider. Every text shown or
 * said is read from attributes the build wrote and set as attributes, never parsed as HTML.
 */
(function () {
  "use strict";
  var SHOWN = "tips__shown";
  var AWAKE = "tips__awake";
  var STEPS = { ArrowRight: 1, ArrowLeft: -1, ArrowUp: 1, ArrowDown: -1 };
  var lines = window.Intl && Intl.ListFormat
    ? new Intl.ListFormat(document.documentElement.lang || "en", { type: "unit", style: "short" })
    : { format: function (parts) { return parts.join(", "); } };

  function current(strip) {
    return strip.children[Number(strip.getAttribute("aria-valuenow")) - 1];
  }

  function show(strip, on) {
    var shown = strip.querySelector("." + SHOWN);
    if (shown) shown.classList.remove(SHOWN);
    if (on) current(strip).classList.add(SHOWN);
  }

  function value(strip, day) {
    strip.setAttribute("aria-valuenow", Array.prototype.indexOf.call(strip.children, day) + 1);
    strip.setAttribute("aria-valuetext", lines.format(day.getAttribute("data-tip").split("\n")));
  }

  function choose(strip, day) {
    value(strip, day);
    show(strip, true);
  }

  /* A row's days are changed when it is first used, not on load: a big front page has thousands of them. */
  function wake(strip) {
    if (strip.classList.contains(AWAKE)) return;
    strip.classList.add(AWAKE);  /* the stylesheet shows the tip of .tips__shown only */
    for (var day = strip.firstElementChild; day; day = day.nextElementSibling) {
      day.removeAttribute("tabindex");  /* a tap focuses the row, its one stop */
    }
  }

  function onKey(event) {
    var strip = event.currentTarget;
    var drawn = Array.prototype.filter.call(strip.children, function (day) {  /* a phone draws the last 30 */
      return day.getClientRects().length > 0;
    });
    var step = STEPS[event.key] * (/Left|Right/.test(event.key) && getComputedStyle(strip).direction === "rtl" ? -1 : 1);
    var to = event.key === "Home" ? 0 : event.key === "End" ? drawn.length - 1 : drawn.indexOf(current(strip)) + step;
    if (event.altKey || event.ctrlKey || event.metaKey || isNaN(to)) return;
    event.preventDefault();
    choose(strip, drawn[Math.max(0, Math.min(drawn.length - 1, to))] || current(strip));
  }

  function makeSlider(strip) {
    var days = strip.children;
    var pointed = null;  /* the day under the pointer: moving over its own mark and tip is no news */
    strip.removeAttribute("aria-hidden");
    strip.setAttribute("role", "slider");
    strip.setAttribute("tabindex", "0");
    strip.setAttribute("aria-label", strip.getAttribute("data-label"));
    strip.setAttribute("aria-valuemin", "1");
    strip.setAttribute("aria-valuemax", days.length);
    value(strip, days[days.length - 1]);
    strip.addEventListener("keydown", onKey);
    strip.addEventListener("pointerover", function (event) {
      if (event.target.parentNode !== strip || event.target === pointed) return;
      pointed = event.target;
      wake(strip);
      choose(strip, pointed);
    });
    strip.addEventListener("pointerleave", function () {
      pointed = null;
      show(strip, document.activeElement === strip);
    });
    strip.addEventListener("focus", function () {
      wake(strip);
      show(strip, true);
    });
    strip.addEventListener("blur", function () { show(strip, strip.matches(":hover")); });
  }

  document.querySelectorAll(".bars[data-label]").forEach(function (strip) {
    if (strip.children.length) makeSlider(strip);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") document.querySelectorAll(".bars[role=slider]").forEach(function (strip) {
      show(strip, false);
    });
  });
})();
