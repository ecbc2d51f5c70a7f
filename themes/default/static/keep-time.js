/* Keeps the front page honest between builds; the page is complete without it.
 *
 * A static page says what was true when it was built, and a scheduled rebuild can come hours late. So, in
 * the reader's browser: a maintenance window opens and closes at its times, "As of" says how long ago that
 * was (and warns once it is older than the site promises, [site] stale_after), and when the site's own
 * api/v2/summary.json is newer than the page, its overall status replaces the page's. Every word shown comes
 * from the page (translated at build time) or from the browser's Intl; nothing is loaded from another host.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var data = script.dataset;
  var minute = 60000;
  var banner = document.querySelector(".banner");
  var asOf = banner && banner.querySelector(".banner__time time[datetime]");
  var lang = document.documentElement.lang || "en";

  function moment(element) {
    var value = element ? Date.parse(element.getAttribute("datetime")) : NaN;
    return isNaN(value) ? null : value;
  }

  function ago(ms) {
    var format = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
    var minutes = Math.max(0, Math.round(ms / minute));
    if (minutes < 120) return format.format(-minutes, "minute");
    if (minutes < 48 * 60) return format.format(-Math.round(minutes / 60), "hour");
    return format.format(-Math.round(minutes / 1440), "day");
  }

  function keepMaintenance(now) {
    var sections = document.querySelectorAll(
      'section[aria-labelledby="maintenance-upcoming"], section[aria-labelledby="maintenance-now"]'
    );
    sections.forEach(function (section) {
      var items = section.querySelectorAll(".incident-item");
      var shown = 0;
      items.forEach(function (item) {
        var times = item.querySelectorAll(".incident-item__meta time[datetime]");
        var start = moment(times[0]);
        var end = moment(times[1]);
        if (start === null || end === null) return;
        item.hidden = now >= end;
        var upcoming = section.getAttribute("aria-labelledby") === "maintenance-upcoming";
        if (upcoming && now >= start && now < end && !item.querySelector(".keep-time__now")) {
          var badge = document.createElement("strong");
          badge.className = "keep-time__now";
          badge.textContent = data.inProgress;
          item.querySelector(".incident-item__meta").prepend(badge, " ");
        }
        if (!item.hidden) shown += 1;
      });
      section.hidden = items.length > 0 && shown === 0;
    });
  }

  function keepAge(now) {
    var built = moment(asOf);
    if (built === null) return;
    var age = asOf.parentNode.querySelector(".keep-time__age") || document.createElement("span");
    age.className = "keep-time__age";
    age.textContent = " (" + ago(now - built) + ")";
    asOf.after(age);
    var warning = banner.querySelector(".keep-time__stale");
    var stale = now - built > Number(data.staleAfter) * minute;
    if (stale && !warning) {
      warning = document.createElement("p");
      warning.className = "keep-time__stale";
      warning.setAttribute("role", "status");
      banner.append(warning);
    }
    if (warning) {
      warning.hidden = !stale;
      warning.textContent = data.stale.replace("%(ago)s", ago(now - built));
    }
  }

  function takeNewerStatus(summary) {
    var updated = Date.parse(summary && summary.page && summary.page.updated_at);
    var indicator = summary && summary.status && String(summary.status.indicator);
    var sentence = data["overall" + indicator.charAt(0).toUpperCase() + indicator.slice(1)];
    if (isNaN(updated) || updated <= moment(asOf) || !sentence) return;
    banner.className = "banner banner--" + indicator;
    banner.querySelector(".banner__text").textContent = sentence;
    asOf.setAttribute("datetime", new Date(updated).toISOString());
    asOf.textContent = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(updated);
    keepAge(Date.now());
  }

  function tick() {
    var now = Date.now();
    keepMaintenance(now);
    if (banner) keepAge(now);
  }

  tick();
  setInterval(tick, minute);
  if (banner && asOf && data.summary && window.fetch) {
    fetch(data.summary, { cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(takeNewerStatus)
      .catch(function () { /* offline, or opened from disk: the page stays as built */ });
  }
})();
