// The new-claim and edit-claim forms: sign in, send the claim to the JSON API, show what the
// API says. A new claim is a POST with an Idempotency-Key (a double click or a retry records
// one claim); an edit is a PATCH of the changed fields only, with If-Match: a 412 shows the
// conflict and overwrites nothing. Validation errors appear next to their fields.
"use strict";

(function () {
  var C = window.Claims;
  var state = JSON.parse(document.getElementById("form-state").textContent);
  var form = document.getElementById("claim-form");
  var signIn = document.getElementById("sign-in");
  var signInError = document.getElementById("sign-in-error");
  var readonly = document.getElementById("form-readonly");
  var conflict = document.getElementById("conflict");
  var message = document.getElementById("form-message");
  var box = form.querySelector(".form-errors");
  var key = newKey();
  var NULLABLE_TEXT = ["quote", "claimant_role", "condition", "due_text", "resolution_criteria"];
  var NUMBERS = ["source_id", "condition_claim_id"];
  var DATES = ["stated_on", "due_from", "due_by"];

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return String(Date.now()) + "-" + String(Math.random()).slice(2);
  }

  C.session.onChange(function (current) {
    var role = current && current.role;
    var writer = role === "reviewer" || role === "editor" || role === "admin";
    signIn.hidden = !!current;
    readonly.hidden = !current || writer;
    form.hidden = !writer;
  });

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
        var first = form.querySelector("textarea, input, select");
        if (first) first.focus();
      })
      .catch(function () {
        signInError.textContent = "Could not reach the server; try again.";
        signInError.hidden = false;
      });
  });

  // The form's value of one field, as the API takes it ("" is null for optional fields).
  function value(name) {
    var raw = form.elements[name].value.trim();
    if (name === "topics") {
      return raw.split(",").map(function (t) { return t.trim(); }).filter(Boolean);
    }
    if (raw === "") return null;
    if (NUMBERS.indexOf(name) >= 0 && /^\d+$/.test(raw)) return Number(raw);
    return raw;
  }

  function original(name) {
    var v = state.original[name];
    if (name === "topics") {
      return String(v || "").split(",").map(function (t) { return t.trim(); }).filter(Boolean);
    }
    return v === "" || v === undefined ? null : v;
  }

  function body() {
    var out = {};
    Object.keys(state.original).forEach(function (name) {
      var v = value(name);
      if (state.mode === "new") {
        if (v !== null && !(name === "topics" && !v.length)) out[name] = v;
      } else if (JSON.stringify(v) !== JSON.stringify(original(name))) {
        out[name] = v;
      }
    });
    // Without a quote there is no kind of quote: the API refuses one, and clears it itself
    // when the quote is removed.
    if (value("quote") === null) delete out.quote_kind;
    return out;
  }

  function clearErrors() {
    box.hidden = true;
    box.replaceChildren();
    form.querySelectorAll("[aria-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
    });
    form.querySelectorAll(".field-error").forEach(function (el) {
      el.hidden = true;
      el.textContent = "";
    });
  }

  // Each error of the problem goes next to its field ("topics.1" → topics); the rest on top.
  function showErrors(problem) {
    var errors = (problem && problem.errors) || [];
    var general = [];
    var first = null;
    errors.forEach(function (error) {
      var name = String(error.field || "").split(".")[0];
      var slot = document.getElementById("err-" + name);
      var field = form.elements[name];
      if (slot && field) {
        slot.textContent = (slot.textContent ? slot.textContent + " " : "") + error.message;
        slot.hidden = false;
        field.setAttribute("aria-invalid", "true");
        if (!first) first = field;
      } else {
        general.push((error.field ? error.field + ": " : "") + error.message);
      }
    });
    var heading = document.createElement("p");
    heading.textContent = ((problem && problem.title) || "Not saved") +
      (errors.length ? ": see the marked fields." : ": " + ((problem && problem.detail) || ""));
    var list = document.createElement("ul");
    general.forEach(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      list.appendChild(li);
    });
    box.replaceChildren(heading, list);
    box.hidden = false;
    (first || box).focus();
  }

  function showConflict(problem) {
    conflict.querySelector("[data-conflict-version]").textContent =
      (problem && problem.current_version) || "?";
    var list = conflict.querySelector("[data-conflict-fields]");
    list.replaceChildren();
    C.api("/v1/claims/" + state.id, { auth: false }).then(function (answer) {
      if (!answer.ok) return;
      Object.keys(state.original).forEach(function (name) {
        var now = answer.body[name];
        if (name === "topics") now = now || [];
        if (JSON.stringify(now === undefined ? null : now) !== JSON.stringify(original(name))) {
          var li = document.createElement("li");
          li.textContent = name.replace(/_/g, " ") + " is now: " +
            (Array.isArray(now) ? now.join(", ") : now === null ? "(empty)" : now);
          list.appendChild(li);
        }
      });
    });
    conflict.hidden = false;
    conflict.focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearErrors();
    conflict.hidden = true;
    var data = body();
    if (state.mode === "edit" && !Object.keys(data).length) {
      message.textContent = "Nothing has changed.";
      return;
    }
    if (state.mode === "edit") {
      data.reason = form.elements.reason.value.trim();
      if (!data.reason) {
        showErrors({ title: "Not saved", errors: [
          { field: "reason", message: "Say why the claim is edited: it is kept in the history." },
        ] });
        return;
      }
    }
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    message.textContent = "Saving…";
    var request = state.mode === "new"
      ? C.api("/v1/claims", { method: "POST", json: data, headers: { "Idempotency-Key": key } })
      : C.api("/v1/claims/" + state.id, {
        method: "PATCH", json: data, headers: { "If-Match": state.etag },
      });
    request
      .then(function (answer) {
        message.textContent = "";
        if (answer.ok) {
          message.textContent = "Saved.";
          window.location.assign("/claims/" + answer.body.slug);
          return;
        }
        if (answer.status === 412) return showConflict(answer.body);
        if (answer.status === 401) {
          C.session.clear();
          message.textContent = "Your token is no longer valid; sign in again.";
          return;
        }
        showErrors(answer.body);
      })
      .catch(function () {
        showErrors({ title: "Not saved", detail: "Could not reach the server; try again." });
      })
      .then(function () {
        button.disabled = false;
      });
  });
})();
