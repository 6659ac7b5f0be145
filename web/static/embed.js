// The embeddable claim card: every few seconds (data-refresh) ask the API whether the claim
// changed (If-None-Match: an unchanged claim is a bodiless 304), and on a change re-fetch the
// card and swap it. Self-contained: no other script, no token, same origin as the card.
"use strict";

(function () {
  var card = document.getElementById("card");
  if (!card || !window.fetch) return;
  var every = (Number(card.dataset.refresh) || 15) * 1000;
  var timer = null;
  var busy = false;

  function redraw() {
    return fetch(window.location.href, { headers: { Accept: "text/html" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("card");
        if (!fresh) return;
        card.className = fresh.className + " just-changed";
        card.dataset.etag = fresh.dataset.etag;
        card.replaceChildren.apply(card, Array.prototype.slice.call(fresh.childNodes));
      });
  }

  function check() {
    window.clearTimeout(timer);
    if (busy) return;
    busy = true;
    fetch(card.dataset.api, {
      headers: { Accept: "application/json", "If-None-Match": card.dataset.etag },
      cache: "no-store",
    })
      .then(function (response) {
        if (response.status === 200 && response.headers.get("ETag") !== card.dataset.etag) {
          return redraw();
        }
      })
      .catch(function () {})
      .then(function () {
        busy = false;
        timer = window.setTimeout(check, every);
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) check();
  });
  timer = window.setTimeout(check, every);
})();
