// One feed of changes for the whole browser, shared by every tab of the tracker.
//
// A browser opens at most six HTTP/1.1 connections to one host. Were every open board, review
// and claim page to hold its own stream, a seventh tab (or a sign-in from the sixth) would wait
// for a free connection forever. So one tab, the one holding the Web Lock "claims-changes",
// reads /v1/stream (long-polling /v1/changes where streams do not get through) and passes each
// change and its connection state to the others over a BroadcastChannel. When that tab
// closes, its lock passes to another tab, which carries on from the last seq it saw.
// Where a browser has neither Web Locks nor BroadcastChannel, each tab reads for itself.
"use strict";

(function () {
  var KINDS = [
    "created", "edited", "status_changed", "evidence_added", "due_soon", "overdue"
  ];
  var shared = !!(window.BroadcastChannel && navigator.locks);
  var channel = shared ? new BroadcastChannel("claims-changes") : null;
  var subscribers = [];
  var state = { state: "connecting", mode: "stream" };
  var latest = 0; // the last seq seen, by this tab or passed on to it
  var leading = false;
  var started = false;

  function toSubscribers(message) {
    if (message.type === "change") {
      latest = Math.max(latest, message.change.seq || 0);
      subscribers.forEach(function (s) {
        s.onChange(message.change);
      });
    } else if (message.type === "state") {
      state = { state: message.state, mode: message.mode };
      subscribers.forEach(function (s) {
        if (s.onState) s.onState(state.state, state.mode);
      });
    }
  }

  // The reading tab: to its own subscribers, and to every other tab.
  function publish(message) {
    toSubscribers(message);
    if (channel) channel.postMessage(message);
  }

  function setState(value, mode) {
    publish({ type: "state", state: value, mode: mode });
  }

  function poll() {
    var loop = function () {
      window.Claims.api("/v1/changes?since=" + latest + "&limit=200&wait=25", { auth: false })
        .then(function (answer) {
          if (!answer.ok) throw new Error("HTTP " + answer.status);
          answer.body.changes.forEach(function (change) {
            publish({ type: "change", change: change });
          });
          latest = Math.max(latest, answer.body.next);
          setState("live", "poll");
          loop();
        })
        .catch(function () {
          setState("offline", "poll");
          window.setTimeout(loop, 5000);
        });
    };
    setState("live", "poll");
    loop();
  }

  function stream() {
    if (!window.EventSource) return poll();
    var failures = 0;
    var source = new EventSource("/v1/stream" + (latest ? "?since=" + latest : ""));
    source.onopen = function () {
      failures = 0;
      setState("live", "stream");
    };
    KINDS.forEach(function (kind) {
      source.addEventListener(kind, function (event) {
        var change;
        try {
          change = JSON.parse(event.data);
        } catch (e) {
          return;
        }
        publish({ type: "change", change: change });
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
        setState("connecting", "stream");
      }
    };
  }

  function lead() {
    leading = true;
    stream();
  }

  function start() {
    if (started) return;
    started = true;
    if (!shared) return lead();
    channel.onmessage = function (event) {
      var message = event.data || {};
      if (message.type === "hello") {
        if (leading) channel.postMessage({ type: "state", state: state.state, mode: state.mode });
        return;
      }
      toSubscribers(message);
    };
    // Held for as long as this tab lives: the promise never settles.
    navigator.locks.request("claims-changes", function () {
      return new Promise(lead);
    });
    channel.postMessage({ type: "hello" }); // the reading tab answers with its state
  }

  // Call onChange(change) for every change from now on, and onState(state, mode) as the feed
  // connects ("connecting", "live", "offline"; mode "stream" or "poll"). With `since` (a seq
  // the caller's page already shows), the changes after it are fetched once first, so none
  // made between the page's rendering and the feed's start is missed.
  function subscribe(onChange, onState, since) {
    subscribers.push({ onChange: onChange, onState: onState });
    if (onState) onState(state.state, state.mode);
    if (since !== undefined && since !== null) {
      window.Claims.api("/v1/changes?since=" + since + "&limit=200", { auth: false })
        .then(function (answer) {
          if (answer.ok) answer.body.changes.forEach(onChange);
        })
        .catch(function () {});
    }
    start();
  }

  window.Claims.changes = subscribe;
})();
