// The live board: listen for changes (EventSource on /v1/stream, else long-poll on
// /v1/changes) and, on any change, re-fetch this page with its filters and swap the counts
// and the list. Changed rows are highlighted for a few seconds.
"use strict";

(function () {
  var live = document.getElementById("live");
  var status = document.getElementById("live-status");
  if (!live || !status) return;

  var KINDS = [
    "created", "edited", "status_changed", "evidence_added", "due_soon", "overdue"
  ];
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

  function poll() {
    status.dataset.mode = "poll";
    show("live", "Live (polling)");
    var loop = function () {
      window.Claims.api("/v1/changes?since=" + since + "&limit=200&wait=25", { auth: false })
        .then(function (answer) {
          if (!answer.ok) throw new Error("HTTP " + answer.status);
          answer.body.changes.forEach(onChange);
          since = Math.max(since, answer.body.next);
          show("live", liveText());
          loop();
        })
        .catch(function () {
          show("offline", "Offline; retrying…");
          window.setTimeout(loop, 5000);
        });
    };
    loop();
  }

  function stream() {
    if (!window.EventSource) return poll();
    var failures = 0;
    var source = new EventSource("/v1/stream?since=" + since);
    source.onopen = function () {
      failures = 0;
      show("live", liveText());
    };
    KINDS.forEach(function (kind) {
      source.addEventListener(kind, function (event) {
        try {
          onChange(JSON.parse(event.data));
        } catch (e) {
          schedule();
        }
      });
    });
    source.onerror = function () {
      failures += 1;
      // The browser reconnects by itself (resuming with Last-Event-ID); when it gives up, or
      // keeps failing (a proxy that buffers streams), long-polling takes over.
      if (source.readyState === EventSource.CLOSED || failures >= 3) {
        source.close();
        poll();
      } else {
        show("connecting", "Reconnecting…");
      }
    };
  }

  // Overdue and due-soon marks change at midnight: redraw now and then even without changes.
  window.setInterval(schedule, 10 * 60 * 1000);
  stream();
})();
