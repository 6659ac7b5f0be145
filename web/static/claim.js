// A claim's page: sign in with a token, change the status, attach evidence.
// Every write goes to the JSON API with If-Match set to the ETag this page was rendered with;
// a 412 means someone else changed the claim meanwhile: the page says so, shows the new state
// and keeps the form as it was. What the signed-in role may do comes from the server
// (#claim-state "offered", read from the workflow table), never from rules in this file.
"use strict";

(function () {
  var C = window.Claims;
  var desk = document.getElementById("desk");
  if (!desk || !C) return;

  var signIn = document.getElementById("sign-in");
  var signInError = document.getElementById("sign-in-error");
  var readonly = document.getElementById("desk-readonly");
  var statusForm = document.getElementById("status-form");
  var evidenceForm = document.getElementById("evidence-form");
  var message = document.getElementById("desk-message");
  var conflict = document.getElementById("conflict");
  var notice = document.getElementById("changed-notice");
  var writing = false;
  var newestSeen = 0;
  var state = readState();

  function readState() {
    return JSON.parse(document.getElementById("claim-state").textContent);
  }

  function label(status) {
    return state.labels[status] || status;
  }

  function badge(status) {
    var span = document.createElement("span");
    span.className = "badge status-" + status;
    span.textContent = label(status);
    return span;
  }

  function say(text) {
    message.textContent = text;
  }

  // --- Who is signed in, and what they are offered ------------------------------------------

  function render(current) {
    var offer = current ? state.offered[current.role] : null;
    signIn.hidden = !!current;
    readonly.hidden = !(current && offer && !offer.moves.length && !offer.evidence);
    var moves = offer ? offer.moves : [];
    statusForm.hidden = !moves.length;
    evidenceForm.hidden = !(offer && offer.evidence);
    fillStatuses(moves);
  }

  function fillStatuses(moves) {
    var select = statusForm.elements.status;
    var chosen = select.value;
    select.replaceChildren(new Option("Choose a status…", ""));
    var groups = { open: null, verdict: null };
    moves.forEach(function (move) {
      var key = move.verdict ? "verdict" : "open";
      if (!groups[key]) {
        groups[key] = document.createElement("optgroup");
        groups[key].label = move.verdict ? "Verdicts" : "Open";
        select.appendChild(groups[key]);
      }
      var option = new Option(move.label, move.status);
      option.dataset.needsEvidence = move.needs_evidence ? "1" : "";
      option.dataset.correction = move.correction ? "1" : "";
      groups[key].appendChild(option);
    });
    if (chosen && select.querySelector('option[value="' + chosen + '"]')) select.value = chosen;
    var correction = moves.some(function (m) {
      return m.correction;
    });
    document.getElementById("status-form-h").textContent = correction
      ? "Correct the verdict"
      : "Change the status";
    document.getElementById("correction-warning").hidden = !correction;
    describeChoice();
  }

  function describeChoice() {
    var select = statusForm.elements.status;
    var option = select.options[select.selectedIndex];
    var needsEvidence = !!(option && option.dataset.needsEvidence);
    statusForm.elements.url.required = needsEvidence;
    statusForm.elements.title.required = needsEvidence;
    document.getElementById("s-evidence-need").textContent = needsEvidence
      ? "(required for a verdict)"
      : "(optional)";
    document.getElementById("s-status-hint").textContent = option && option.value
      ? "Now " + label(state.status) + " → " + option.text +
        (option.dataset.correction ? " (published as a correction)" : "")
      : "";
  }

  statusForm.elements.status.addEventListener("change", describeChoice);

  signIn.addEventListener("submit", function (event) {
    event.preventDefault();
    var token = signIn.elements.token.value.trim();
    if (!token) return;
    signInError.hidden = true;
    C.api("/v1/me", { token: token })
      .then(function (answer) {
        if (!answer.ok) {
          signInError.textContent = answer.status === 401
            ? "That token is unknown or has been revoked."
            : "Could not sign in: " + ((answer.body && answer.body.detail) || answer.status);
          signInError.hidden = false;
          signIn.elements.token.focus();
          return;
        }
        signIn.reset();
        C.session.set({ token: token, name: answer.body.name, role: answer.body.role });
        say("Signed in as " + answer.body.name + " (" + answer.body.role + ").");
      })
      .catch(function () {
        signInError.textContent = "Could not reach the server; try again.";
        signInError.hidden = false;
      });
  });

  // --- Writes ---------------------------------------------------------------------------------

  function clearErrors(form) {
    var box = form.querySelector(".form-errors");
    box.hidden = true;
    box.replaceChildren();
    form.querySelectorAll("[aria-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
      var said = el.getAttribute("aria-describedby") || "";
      var kept = said.split(" ").filter(function (id) {
        return id && id !== "err-" + el.id;
      });
      if (kept.length) el.setAttribute("aria-describedby", kept.join(" "));
      else el.removeAttribute("aria-describedby");
    });
    form.querySelectorAll(".field-error").forEach(function (el) {
      el.remove();
    });
  }

  // The message under its field, read out with it (aria-describedby), as on the claim forms.
  function markField(field, message) {
    field.setAttribute("aria-invalid", "true");
    var slot = document.createElement("p");
    slot.className = "field-error";
    slot.id = "err-" + field.id;
    slot.textContent = message;
    var box = field.closest(".field") || field.parentNode;
    box.appendChild(slot);
    var said = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (said ? said + " " : "") + slot.id);
  }

  // Map the problem's errors ("note", "evidence", "evidence.0.url", "url") onto the form.
  function showErrors(form, problem) {
    var box = form.querySelector(".form-errors");
    var list = document.createElement("ul");
    var first = null;
    var errors = (problem && problem.errors) || [];
    if (!errors.length) errors = [{ field: "", message: (problem && problem.detail) || "failed" }];
    errors.forEach(function (error) {
      var name = String(error.field || "").replace(/^evidence\.\d+\./, "");
      if (name === "evidence") name = "url";
      var field = name ? form.elements[name] : null;
      var li = document.createElement("li");
      li.textContent = (name ? name.replace(/_/g, " ") + ": " : "") + error.message;
      list.appendChild(li);
      if (field && field.setAttribute && field.id && !form.querySelector("#err-" + field.id)) {
        markField(field, error.message);
        if (!first && field.focus) first = field;
      }
    });
    var heading = document.createElement("p");
    heading.textContent = (problem && problem.title) || "The change was refused";
    box.replaceChildren(heading, list);
    box.hidden = false;
    if (first) first.focus();
  }

  function evidenceFrom(form, all) {
    var item = { url: form.elements.url.value.trim(), title: form.elements.title.value.trim() };
    item.stance = form.elements.stance.value;
    if (all && form.elements.publisher && form.elements.publisher.value.trim()) {
      item.publisher = form.elements.publisher.value.trim();
    }
    return item;
  }

  function write(form, path, body, done) {
    clearErrors(form);
    conflict.hidden = true;
    writing = true;
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    C.api(path, { method: "POST", json: body, headers: { "If-Match": state.etag } })
      .then(function (answer) {
        if (answer.ok) {
          state.etag = answer.etag;
          state.version = answer.body.version;
          form.reset();
          return showLatest().then(function () {
            say(done(answer.body));
          });
        }
        if (answer.status === 412) return showConflict(answer.body);
        if (answer.status === 401) {
          C.session.clear();
          say("Your token is no longer valid; sign in again.");
          return null;
        }
        showErrors(form, answer.body);
        return null;
      })
      .catch(function () {
        showErrors(form, { detail: "Could not reach the server; nothing was changed." });
      })
      .then(function () {
        writing = false;
        button.disabled = false;
        checkNewer();
      });
  }

  statusForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var f = statusForm.elements;
    var body = { status: f.status.value, note: f.note.value };
    if (f.occurred_on.value) body.occurred_on = f.occurred_on.value;
    body.evidence = f.url.value.trim() || f.title.value.trim() ? [evidenceFrom(statusForm)] : [];
    write(statusForm, "/v1/claims/" + state.id + "/status", body, function (claim) {
      return "Status changed to " + label(claim.status) + ".";
    });
  });

  evidenceForm.addEventListener("submit", function (event) {
    event.preventDefault();
    write(evidenceForm, "/v1/claims/" + state.id + "/evidence", evidenceFrom(evidenceForm, true),
      function () {
        return "Evidence attached.";
      });
  });

  // --- Someone else changed it ------------------------------------------------------------------

  function showConflict(problem) {
    var version = problem && problem.current_version;
    conflict.querySelector("[data-conflict-version]").textContent = version || "?";
    var where = conflict.querySelector("[data-conflict-status]");
    where.replaceChildren(document.createTextNode("…"));
    var last = conflict.querySelector("[data-conflict-last]");
    last.hidden = true;
    conflict.hidden = false;
    conflict.focus();
    return C.api("/v1/claims/" + state.id, { auth: false })
      .then(function (answer) {
        if (answer.ok) where.replaceChildren(badge(answer.body.status));
        return C.api("/v1/claims/" + state.id + "/history?after=" + lastSeq(), { auth: false });
      })
      .then(function (answer) {
        var events = (answer && answer.ok && answer.body.events) || [];
        var e = events[events.length - 1];
        if (!e) return;
        last.textContent = "Latest change: " + e.kind.replace(/_/g, " ") +
          (e.to_status ? " to " + label(e.to_status) : "") + " by " + e.actor.name +
          " (" + e.actor.role + ")" + (e.note ? ": “" + e.note + "”" : "") + ".";
        last.hidden = false;
      })
      .catch(function () {});
  }

  function lastSeq() {
    var items = document.querySelectorAll("#timeline [data-seq]");
    return items.length ? items[items.length - 1].dataset.seq : 0;
  }

  // Re-render the claim from the server: new ETag, status, timeline and what is offered.
  function showLatest() {
    return C.refresh("claim-live").then(function () {
      state = readState();
      notice.hidden = true;
      conflict.hidden = true;
      render(C.session.get());
    });
  }

  desk.querySelectorAll("[data-show-latest]").forEach(function (button) {
    button.addEventListener("click", function () {
      showLatest().then(function () {
        say("Showing version " + state.version + " (" + label(state.status) + ").");
        document.getElementById("claim-h").scrollIntoView();
      });
    });
  });

  // Tell the reader when the claim changes under them; do not refresh on our own, so nobody
  // acts on a state they have not seen.
  function checkNewer() {
    if (!writing && newestSeen > state.version) notice.hidden = false;
  }

  function watch() {
    var WATCHED = ["edited", "status_changed", "evidence_added", "due_soon", "overdue"];
    // The deadline watcher's events bump the version too (the claim became due soon, overdue).
    C.changes(function (change) {
      if (change.claim_id !== state.id || WATCHED.indexOf(change.kind) < 0) return;
      newestSeen = Math.max(newestSeen, change.version);
      checkNewer();
    });
    // A change between the page's rendering and the feed's start: ask once, cheaply.
    C.api("/v1/claims/" + state.id, { auth: false, headers: { "If-None-Match": state.etag } })
      .then(function (answer) {
        if (answer.status === 200 && answer.body) {
          newestSeen = Math.max(newestSeen, answer.body.version);
          checkNewer();
        }
      })
      .catch(function () {});
  }

  C.session.onChange(render);
  watch();
})();
