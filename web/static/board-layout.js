// The board's layout by screen: on a phone the filters fold away (the first screen shows
// claims); on a wall screen (?screen=wall) the list turns page by page, as many claims as fit.
"use strict";

(function () {
  var fold = document.getElementById("filters-fold");
  var phone = window.matchMedia("(max-width: 46rem)");
  // Rendered open (it works without JavaScript); folded on narrow screens.
  function layout() {
    if (fold) fold.open = !phone.matches;
  }
  layout();
  if (phone.addEventListener) phone.addEventListener("change", layout);

  if (!document.body.classList.contains("screen-wall")) return;
  var live = document.getElementById("live");
  var turn = 0;
  var TURN_MS = 15000;

  // Show the `turn`-th screenful of rows; the rest are hidden (and out of the reading order).
  function showPage() {
    var rows = Array.prototype.slice.call(live.querySelectorAll("#board tbody tr"));
    rows.forEach(function (row) {
      row.hidden = false;
    });
    var table = live.querySelector("#board");
    if (!table || !rows.length) return;
    var room = window.innerHeight - table.querySelector("tbody").getBoundingClientRect().top - 8;
    var pages = [];
    var used = 0;
    var current = [];
    rows.forEach(function (row) {
      var h = row.getBoundingClientRect().height;
      if (current.length && used + h > room) {
        pages.push(current);
        current = [];
        used = 0;
      }
      current.push(row);
      used += h;
    });
    pages.push(current);
    turn = turn % pages.length;
    rows.forEach(function (row) {
      row.hidden = pages[turn].indexOf(row) < 0;
    });
    live.dataset.wallPage = String(turn + 1);
    live.dataset.wallPages = String(pages.length);
    var note = document.getElementById("wall-page");
    if (note) {
      note.textContent = pages.length > 1 ? "Page " + (turn + 1) + " of " + pages.length : "";
    }
  }

  // The live board swaps #live's children: lay the new rows out again.
  new MutationObserver(function (records) {
    if (records.some(function (r) { return r.type === "childList" && r.target === live; })) {
      showPage();
    }
  }).observe(live, { childList: true });
  window.addEventListener("resize", showPage);
  window.setInterval(function () {
    turn += 1;
    showPage();
  }, TURN_MS);
  showPage();
})();
