{#- The status widget (see sitegen/views/embed.py and docs/api.md). Words come from the catalogues as JSON; what
    the site says (titles, statuses) is read from api/v2/summary.json when the widget runs, and set as text only. -#}
/* A status page's widget, made by sitegen. No dependencies.
   <script src=".../embed.js" async></script> in the body, where the dot goes; data-show="dot", "banner" or "both" (default),
   data-theme="light", "dark" or "auto" (default: the reader's setting), data-dot="#selector" to put the dot elsewhere. */
(function () {
  "use strict";
  var script = document.currentScript;  // only while this runs: kept for start()
  if (!script || !window.fetch || !document.documentElement.attachShadow) return;
  var WORDS = {
    indicators: { {% for impact in indicators %}{{ impact.value | tojson }}: {{ language.overall(impact) | tojson }}{% if not loop.last %}, {% endif %}{% endfor %} },
    statuses: { {% for status in statuses %}{{ status.value | tojson }}: {{ language.label(status) | tojson }}{% if not loop.last %}, {% endif %}{% endfor %} },
    dismiss: {{ _("Dismiss") | tojson }},
    page: {{ _("View the status page") | tojson }},
    region: {{ _("Current status") | tojson }}
  };
  var COLOURS = {{ colours | tojson }};
  var DIRECTION = {{ language.direction | tojson }};
  var REFRESH = {{ refresh * 1000 }};
  var site = new URL(".", script.src).href;
  var show = script.getAttribute("data-show") || "both";
  var theme = script.getAttribute("data-theme") || "auto";
  var CSS = [
    ":host { all: initial; font: 14px/1.4 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; --bg: #ffffff; --text: #1d2330; --link: #1a56c4; --ring: #ffffff; }",
    "@media (prefers-color-scheme: dark) { :host(.auto) { --bg: #1c212b; --text: #e7e9ee; --link: #8cb4ff; --ring: #12151b; } }",
    ":host(.dark) { --bg: #1c212b; --text: #e7e9ee; --link: #8cb4ff; --ring: #12151b; }",
    "a { color: var(--link); } a:focus-visible, button:focus-visible { outline: 2px solid var(--link); outline-offset: 2px; }",
    ".dot { display: inline-flex; align-items: center; gap: .4em; color: inherit; }",
    ".light { display: inline-block; flex: none; width: .75em; height: .75em; border-radius: 50%; box-shadow: 0 0 0 2px var(--ring); }",
    ".banner { position: fixed; inset-inline: 1rem; bottom: 1rem; z-index: 2147483647; display: flex; gap: .75rem; align-items: flex-start; max-width: 40rem; margin-inline: auto; padding: .75rem 1rem; color: var(--text); background: var(--bg); border: 1px solid; border-inline-start-width: .5rem; border-radius: 8px; box-shadow: 0 4px 16px rgba(0, 0, 0, .25); }",
    ".banner ul { flex: 1; margin: 0; padding: 0; list-style: none; } .banner li + li { margin-top: .25rem; } .banner strong { font-weight: 600; }",
    "button { flex: none; font: inherit; font-size: 1.25rem; line-height: 1; min-width: 2rem; min-height: 2rem; color: var(--text); background: none; border: 1px solid currentColor; border-radius: 4px; cursor: pointer; }",
    ".vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }"
  ].join("\n");

  function host(tag) {
    var element = document.createElement(tag);
    element.className = theme === "light" || theme === "dark" ? theme : "auto";
    element.setAttribute("data-sitegen-status", "");
    var root = element.attachShadow({ mode: "open" });
    if ("adoptedStyleSheets" in root && window.CSSStyleSheet) {  // no <style>: a host's CSP may refuse inline styles
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else {
      make(root, "style").textContent = CSS;
    }
    return root;
  }
  function make(parent, tag, text, attributes) {
    var element = document.createElement(tag);
    if (text) element.textContent = text;
    for (var name in attributes || {}) element.setAttribute(name, attributes[name]);
    parent.appendChild(element);
    return element;
  }
  function address(url) {  // only this site's own pages: never a javascript: or a foreign URL from the JSON
    try {
      var parsed = new URL(url, site);
      return parsed.href.indexOf(site) === 0 ? parsed.href : site;
    } catch (error) {
      return site;
    }
  }
  function light(parent, indicator) {
    var dot = make(parent, "span", "", { "class": "light", "aria-hidden": "true" });
    dot.style.background = COLOURS[indicator] || COLOURS.none;
  }

  var dotRoot = null;
  var bannerRoot = null;
  var live = null;
  var banner = null;
  var shown = null;

  function start() {
    var place = script.getAttribute("data-dot");
    var target = place ? document.querySelector(place) : script.closest("body") && script;
    if (show !== "banner" && target) {
      dotRoot = host("span");
      if (place) target.appendChild(dotRoot.host); else target.parentNode.insertBefore(dotRoot.host, target);
    }
    bannerRoot = host("div");
    bannerRoot.host.setAttribute("dir", DIRECTION);
    live = make(bannerRoot, "div", "", { "class": "vh", role: "status" });
    document.body.appendChild(bannerRoot.host);
    refresh();
    setInterval(refresh, REFRESH);
  }
  function going(summary) {
    var items = (summary.incidents || []).slice();
    (summary.scheduled_maintenances || []).forEach(function (m) {
      if (m.status === "in_progress" || m.status === "verifying") items.push(m);
    });
    return items;
  }
  function dismissed(key) {
    try { return sessionStorage.getItem("sitegen-status:" + site) === key; } catch (error) { return false; }
  }
  function dismiss(key) {
    try { sessionStorage.setItem("sitegen-status:" + site, key); } catch (error) { /* storage refused: for this view only */ }
    if (banner) banner.remove();
    banner = null;
    if (dotRoot) dotRoot.querySelector("a").focus();
  }
  function render(summary) {
    var indicator = summary.status && summary.status.indicator || "none";
    var sentence = WORDS.indicators[indicator] || summary.status.description;
    if (dotRoot) {
      var old = dotRoot.querySelector("a");
      if (old) old.remove();
      var link = make(dotRoot, "a", "", { "class": "dot", href: site });
      light(link, indicator);
      make(link, "span", sentence);
    }
    var items = going(summary);
    var key = items.map(function (i) { return i.id + "@" + i.updated_at; }).join(" ");
    if (key === shown) return;
    shown = key;
    if (banner) banner.remove();
    banner = null;
    if (show === "dot" || !items.length || dismissed(key)) {
      live.textContent = items.length ? sentence : "";
      return;
    }
    banner = make(bannerRoot, "section", "", { "class": "banner", "aria-label": WORDS.region });
    banner.style.borderColor = COLOURS[indicator] || COLOURS.none;
    light(banner, indicator);
    var list = make(banner, "ul");
    items.slice(0, 3).forEach(function (item) {
      var entry = make(list, "li");
      make(entry, "a", item.name, { href: address(item.shortlink) });
      entry.appendChild(document.createTextNode(" · "));
      make(entry, "strong", WORDS.statuses[item.status] || item.status);
    });
    make(make(list, "li"), "a", WORDS.page, { href: site });
    var close = make(banner, "button", "\u00d7", { type: "button", "aria-label": WORDS.dismiss, title: WORDS.dismiss });
    close.addEventListener("click", function () { dismiss(key); });
    banner.addEventListener("keydown", function (event) { if (event.key === "Escape") dismiss(key); });
    live.textContent = sentence + ": " + items.map(function (i) { return i.name; }).join(", ");
  }
  function refresh() {
    fetch(new URL("api/v2/summary.json", site).href, { cache: "no-cache", credentials: "omit" })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(render)
      .catch(function () { /* unreachable: keep what is shown, try again later */ });
  }
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
