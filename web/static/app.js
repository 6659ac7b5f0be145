// Shared by every page: the signed-in token (this tab only), JSON API calls, page refreshes.
// Plain JavaScript, no build step. Pages load this first (both scripts are `defer`).
"use strict";

(function () {
  var KEY = "claim-tracker.session";
  var listeners = [];

  // The token lives in sessionStorage: it is gone when the tab closes, and never sent to the
  // server except in the Authorization header of API calls.
  var session = {
    get: function () {
      try {
        return JSON.parse(window.sessionStorage.getItem(KEY) || "null");
      } catch (e) {
        return null;
      }
    },
    set: function (value) {
      window.sessionStorage.setItem(KEY, JSON.stringify(value));
      notify();
    },
    clear: function () {
      window.sessionStorage.removeItem(KEY);
      notify();
    },
    onChange: function (fn) {
      listeners.push(fn);
      fn(session.get());
    },
  };

  function notify() {
    var current = session.get();
    listeners.forEach(function (fn) {
      fn(current);
    });
  }

  // Call the JSON API. Resolves to {status, ok, etag, body} for every HTTP answer (problem
  // documents included); rejects only when the network fails.
  function api(path, options) {
    options = options || {};
    var headers = { Accept: "application/json" };
    var current = session.get();
    if (current && current.token && options.auth !== false) {
      headers.Authorization = "Bearer " + current.token;
    }
    if (options.token) headers.Authorization = "Bearer " + options.token;
    Object.keys(options.headers || {}).forEach(function (k) {
      headers[k] = options.headers[k];
    });
    var init = { method: options.method || "GET", headers: headers, cache: "no-store" };
    if (options.json !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.json);
    }
    return fetch(path, init).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      var parse = type.indexOf("json") >= 0 ? response.json() : Promise.resolve(null);
      return parse.then(function (body) {
        return {
          status: response.status,
          ok: response.ok,
          etag: response.headers.get("ETag"),
          body: body,
        };
      });
    });
  }

  // Re-fetch this page's HTML and replace the children of the element with `id` by the fresh
  // ones: the server renders, the script only swaps. Resolves to the fresh element.
  function refresh(id) {
    return fetch(window.location.href, { headers: { Accept: "text/html" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(id);
        var here = document.getElementById(id);
        if (!fresh || !here) throw new Error("no #" + id + " in the page");
        // Keyboard users keep their place: re-focus the same link after the swap.
        var focused = document.activeElement;
        var href = here.contains(focused) && focused.getAttribute("href");
        Object.keys(fresh.dataset).forEach(function (k) {
          here.dataset[k] = fresh.dataset[k];
        });
        here.replaceChildren.apply(here, Array.prototype.slice.call(fresh.childNodes));
        if (href) {
          var again = here.querySelector('[href="' + CSS.escape(href) + '"]');
          if (again) again.focus({ preventScroll: true });
        }
        return here;
      });
  }

  function clock(date) {
    return (date || new Date()).toLocaleTimeString([], {
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
  }

  // The header shows who is signed in, on every page.
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("session");
    if (!box) return;
    box.querySelector("[data-sign-out]").addEventListener("click", function () {
      session.clear();
    });
    var hooksLink = document.getElementById("nav-webhooks");
    session.onChange(function (current) {
      if (hooksLink) hooksLink.hidden = !(current && current.role === "admin");
      box.hidden = !current;
      if (current) {
        box.querySelector("[data-session-name]").textContent = current.name;
        box.querySelector("[data-session-role]").textContent = current.role;
      }
    });
  });

  window.Claims = { session: session, api: api, refresh: refresh, clock: clock };
})();
