// The webhooks page: an admin's view of the subscriptions (GET /v1/webhooks), with their last
// delivery and failures. Read only: subscriptions are managed with the CLI or the API.
"use strict";

(function () {
  var C = window.Claims;
  var signIn = document.getElementById("sign-in");
  var signInError = document.getElementById("sign-in-error");
  var message = document.getElementById("hooks-message");
  var table = document.getElementById("hooks");
  var body = table.querySelector("tbody");

  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function show(items) {
    body.textContent = "";
    items.forEach(function (hook) {
      var row = document.createElement("tr");
      row.dataset.id = hook.id;
      cell(row, hook.url);
      var state = cell(row, hook.active ? "active" : "disabled");
      if (!hook.active && hook.disabled_reason) {
        var why = document.createElement("span");
        why.className = "hint";
        why.textContent = " — " + hook.disabled_reason;
        state.appendChild(why);
      }
      var filters = [].concat(hook.events, hook.statuses, hook.topics);
      cell(row, filters.length ? filters.join(", ") : "every change");
      var last = hook.last_delivered_at;
      cell(row, last ? last.replace("T", " ").slice(0, 19) + " UTC" : "none yet");
      cell(row, String(hook.failed_count || 0));
      body.appendChild(row);
    });
    table.hidden = false;
    message.textContent = items.length ? "" : "No subscriptions yet.";
  }

  function load() {
    C.api("/v1/webhooks").then(function (answer) {
      if (answer.ok) {
        show(answer.body.items);
      } else {
        table.hidden = true;
        message.textContent = answer.status === 403
          ? "Only admins see the webhooks."
          : "Could not list the webhooks: " + ((answer.body && answer.body.detail) || answer.status);
      }
    });
  }

  C.session.onChange(function (current) {
    signIn.hidden = !!current;
    if (current) {
      load();
    } else {
      table.hidden = true;
      message.textContent = "";
    }
  });

  signIn.addEventListener("submit", function (event) {
    event.preventDefault();
    var token = signIn.elements.token.value.trim();
    if (!token) return;
    signInError.hidden = true;
    C.api("/v1/me", { token: token }).then(function (answer) {
      if (!answer.ok) {
        signInError.textContent = "That token is unknown or has been revoked.";
        signInError.hidden = false;
        return;
      }
      signIn.reset();
      C.session.set({ token: token, name: answer.body.name, role: answer.body.role });
    });
  });
})();
