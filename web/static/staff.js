// A claim's page, for signed-in reviewers and editors: the internal notes and who the claim is
// assigned to (GET/POST /v1/claims/{id}/notes, PUT /v1/claims/{id}/assignee). Never shown to
// readers; nothing of it is in the public history.
"use strict";

(function () {
  var C = window.Claims;
  var staff = document.getElementById("staff");
  var stateEl = document.getElementById("claim-state");
  if (!staff || !stateEl) return;
  var id = JSON.parse(stateEl.textContent).id;
  var list = document.getElementById("staff-notes");
  var assignment = document.getElementById("assignment");
  var noteForm = document.getElementById("staff-note-form");
  var assignForm = document.getElementById("assign-form");
  var me = null;

  function showAssignment(a) {
    assignment.textContent = a
      ? "Assigned to " + a.assignee + " (by " + a.assigned_by + ")."
      : "Not assigned to anyone.";
    assignForm.elements.assignee.value = a ? a.assignee : "";
  }

  function note(n) {
    var li = document.createElement("li");
    var head = document.createElement("p");
    head.className = "event-head";
    head.textContent = n.author.name + " (" + n.author.role + "), " +
      new Date(n.at).toLocaleString();
    var body = document.createElement("p");
    body.className = "staff-note-body";
    body.textContent = n.body;
    li.append(head, body);
    return li;
  }

  function load() {
    C.api("/v1/claims/" + id + "/notes").then(function (answer) {
      if (!answer.ok) return;
      list.replaceChildren.apply(list, answer.body.notes.map(note));
      showAssignment(answer.body.assignment);
    });
  }

  C.session.onChange(function (current) {
    var role = current && current.role;
    var staffer = role === "reviewer" || role === "editor" || role === "admin";
    me = current;
    staff.hidden = !staffer;
    if (staffer) load();
  });

  function fail(form, answer) {
    var box = form.querySelector(".form-errors");
    if (!box) return;
    var errors = (answer.body && answer.body.errors) || [];
    box.textContent = errors.length
      ? errors.map(function (e) { return e.message; }).join("; ")
      : (answer.body && answer.body.detail) || "Refused.";
    box.hidden = false;
  }

  noteForm.addEventListener("submit", function (event) {
    event.preventDefault();
    noteForm.querySelector(".form-errors").hidden = true;
    C.api("/v1/claims/" + id + "/notes", {
      method: "POST", json: { body: noteForm.elements.body.value },
    }).then(function (answer) {
      if (!answer.ok) return fail(noteForm, answer);
      list.appendChild(note(answer.body));
      noteForm.reset();
    });
  });

  function assign(name) {
    C.api("/v1/claims/" + id + "/assignee", {
      method: "PUT", json: { assignee: name || null },
    }).then(function (answer) {
      if (answer.ok) showAssignment(answer.body.assignment);
      else assignment.textContent = "Could not assign: " +
        ((answer.body && answer.body.detail) || answer.status);
    });
  }

  assignForm.addEventListener("submit", function (event) {
    event.preventDefault();
    assign(assignForm.elements.assignee.value.trim());
  });
  assignForm.querySelector("[data-assign-me]").addEventListener("click", function () {
    if (me) assign(me.name);
  });
})();
