// The live board: listen for changes (the browser's one shared feed, changes.js) and, on any
// change, re-fetch this page with its filters and swap the counts and the list. Changed rows
// are highlighted for a few seconds.
"use strict";

(function () {
  var live = document.getElementById("live");
  var status = document.getElementById("live-status");
  if (!live || !status) return;

  var since = Number(live.dataset.seq) || 0;
  var changed = {};
  var busy = false;
  var again = false;
  var timer = null;

  function show(state, text) {
    status.dataset.state = state;
    status.querySelector("[data-live-text]").textContent = text;
  }

  function liveText() {
    return (status.dataset.mode === "poll" ? "Live (polling)" : "Live") +
      " · updated " + window.Claims.clock();
  }

  function flash() {
    Object.keys(changed).forEach(function (slug) {
      var row = live.querySelector('tr[data-slug="' + CSS.escape(slug) + '"]');
      if (row) row.classList.add("just-changed");
    });
    changed = {};
  }

  function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    window.Claims.refresh("live")
      .then(function () {
        since = Math.max(since, Number(live.dataset.seq) || 0);
        flash();
        show("live", liveText());
      })
      .catch(function () {
        show("offline", "Could not refresh the board; retrying…");
        window.setTimeout(schedule, 5000);
      })
      .then(function () {
        busy = false;
        if (again) {
          again = false;
          schedule();
        }
      });
  }

  // Changes come in bursts (a seed, a batch of edits): refresh once per burst.
  function schedule() {
    if (timer) return;
    timer = window.setTimeout(function () {
      timer = null;
      refresh();
    }, 150);
  }

  function onChange(change) {
    if (change.seq <= since) return;
    since = change.seq;
    if (change.slug) changed[change.slug] = true;
    schedule();
  }

  // The feed is shared by every tab of the browser (changes.js); its state is shown here.
  var TEXTS = { connecting: "Reconnecting…", offline: "Offline; retrying…" };

  function onState(state, mode) {
    status.dataset.mode = mode;
    if (state === "live") show("live", liveText());
    else show(state, TEXTS[state] || state);
  }

  // Overdue and due-soon marks change at midnight: redraw now and then even without changes.
  window.setInterval(schedule, 10 * 60 * 1000);
  window.Claims.changes(onChange, onState, since);
})();
