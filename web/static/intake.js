// Intake of a story: the extractor's proposals (POST /v1/extract) as editable cards beside the
// story, each quote highlighted in the text; proposals the tracker already holds are marked
// (POST /v1/intake/held). Accepting a card creates a pending claim of the story's source:
// the source is created once (with the story's text), each claim with its own
// Idempotency-Key, so a double click or a retry creates one claim. Nothing here decides what
// is valid: the API's errors are shown next to the card's fields.
"use strict";

(function () {
  var C = window.Claims;
  var signIn = document.getElementById("sign-in");
  var signInError = document.getElementById("sign-in-error");
  var readonly = document.getElementById("intake-readonly");
  var storyForm = document.getElementById("story-form");
  var message = document.getElementById("intake-message");
  var result = document.getElementById("intake-result");
  var articleText = document.getElementById("article-text");
  var sourceLine = document.getElementById("intake-source");
  var summary = document.getElementById("intake-summary");
  var cards = document.getElementById("cards");
  var template = document.getElementById("card-template");
  var FIELDS = ["statement", "quote_kind", "claimant", "claimant_role", "certainty", "condition",
    "due_from", "due_by", "due_text", "topics", "resolution_criteria"];
  var story = null; // {text, source: {title, url, published_on}, sourceId, sourcePromise}

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return String(Date.now()) + "-" + String(Math.random()).slice(2);
  }

  C.session.onChange(function (current) {
    var role = current && current.role;
    var writer = role === "reviewer" || role === "editor" || role === "admin";
    signIn.hidden = !!current;
    readonly.hidden = !current || writer;
    storyForm.hidden = !writer;
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
          return;
        }
        signIn.reset();
        C.session.set({ token: token, name: answer.body.name, role: answer.body.role });
        storyForm.elements.text.focus();
      })
      .catch(function () {
        signInError.textContent = "Could not reach the server; try again.";
        signInError.hidden = false;
      });
  });

  storyForm.elements.file.addEventListener("change", function () {
    var file = storyForm.elements.file.files[0];
    if (!file) return;
    file.text().then(function (text) {
      storyForm.elements.text.value = text;
      message.textContent = "Read " + file.name + ".";
    });
  });

  // --- Errors next to fields (the story form and each card) -------------------------------

  function slotOf(root, name) {
    var field = root.querySelector('[name="' + name + '"]');
    var wrap = field && field.closest(".field");
    return { field: field, slot: wrap && wrap.querySelector(".field-error") };
  }

  function clearErrors(root) {
    var box = root.querySelector(".form-errors");
    box.hidden = true;
    box.replaceChildren();
    root.querySelectorAll("[aria-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
    });
    root.querySelectorAll(".field-error").forEach(function (el) {
      el.hidden = true;
      el.textContent = "";
    });
  }

  function showErrors(root, problem) {
    var errors = (problem && problem.errors) || [];
    var general = [];
    var first = null;
    errors.forEach(function (error) {
      var found = slotOf(root, String(error.field || "").split(".")[0]);
      if (found.field && found.slot) {
        found.slot.textContent = error.message;
        found.slot.hidden = false;
        found.field.setAttribute("aria-invalid", "true");
        if (!first) first = found.field;
      } else {
        general.push((error.field ? error.field + ": " : "") + error.message);
      }
    });
    var box = root.querySelector(".form-errors");
    var heading = document.createElement("p");
    heading.textContent = ((problem && problem.title) || "Refused") +
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

  // --- The story, with each proposal's quote marked ----------------------------------------

  function drawStory(text, claims) {
    var spans = claims
      .map(function (c, i) { return { start: c.quote_start, end: c.quote_end, i: i }; })
      .sort(function (a, b) { return a.start - b.start || b.end - a.end; });
    var nodes = [];
    var at = 0;
    spans.forEach(function (span) {
      if (span.start < at) return; // nested in the previous quote: that mark covers it
      nodes.push(document.createTextNode(text.slice(at, span.start)));
      var mark = document.createElement("mark");
      mark.id = "quote-" + span.i;
      mark.tabIndex = -1;
      mark.textContent = text.slice(span.start, span.end);
      nodes.push(mark);
      at = span.end;
    });
    nodes.push(document.createTextNode(text.slice(at)));
    articleText.replaceChildren.apply(articleText, nodes);
  }

  function draftCriteria(c) {
    var by = c.due_by ? " by " + c.due_by : "";
    return "Fulfilled if" + by + ": " + c.statement + " Broken if that has not happened" +
      (c.due_by ? " by then" : "") + " or is contradicted.";
  }

  // Quotation marks only for the speaker's own words; the outlet's paraphrase reads as such.
  function showQuote(item, c, kind) {
    item.querySelector(".proposal-quote").textContent =
      kind === "reported" ? "Reported: " + c.quote : "“" + c.quote + "”";
  }

  function drawCard(c, i, held) {
    var item = template.content.firstElementChild.cloneNode(true);
    var card = item.querySelector(".proposal-card");
    card.dataset.index = String(i);
    card.dataset.key = newKey();
    card.setAttribute("aria-labelledby", "proposal-h-" + i);
    var h = item.querySelector(".proposal-h");
    h.id = "proposal-h-" + i;
    h.textContent = "Proposal " + (i + 1) + " · " + (c.claimant || "unattributed");
    showQuote(item, c, c.quote_kind);
    var link = item.querySelector(".to-quote");
    link.href = "#quote-" + i;
    link.addEventListener("click", function (event) {
      var mark = document.getElementById("quote-" + i);
      if (!mark) return;
      event.preventDefault();
      mark.scrollIntoView({ block: "center" });
      mark.focus({ preventScroll: true });
    });
    FIELDS.forEach(function (name) {
      var field = item.querySelector('[name="' + name + '"]');
      var label = field.closest(".field").querySelector("label");
      field.id = "p" + i + "-" + name;
      label.htmlFor = field.id;
      var slot = field.closest(".field").querySelector(".field-error");
      slot.id = "p" + i + "-" + name + "-error";
      field.setAttribute("aria-describedby", slot.id);
      var v = c[name];
      if (name === "topics") v = (c.topics || []).join(", ");
      if (name === "resolution_criteria") v = draftCriteria(c);
      field.value = v === null || v === undefined ? "" : v;
    });
    item.querySelector('[name="quote_kind"]').addEventListener("change", function (event) {
      showQuote(item, c, event.target.value);
    });
    item.querySelector(".due-reason").textContent = c.due_reason ? "Dates: " + c.due_reason : "";
    item.querySelector("[data-accept]").addEventListener("click", function () {
      accept(card, c);
    });
    item.querySelector("[data-reject]").addEventListener("click", function () {
      if (card.dataset.state === "rejected") setState(card, "open", "");
      else setState(card, "rejected", "Rejected: it will not be recorded.");
      counts();
    });
    if (held) setState(card, "held", "Already in the tracker (same passage): not created again.");
    cards.appendChild(item);
  }

  function setState(card, state, text) {
    card.dataset.state = state;
    card.querySelector(".proposal-state").textContent = text;
    var done = state === "held" || state === "accepted";
    card.querySelectorAll("input, textarea, select, [data-accept]").forEach(function (el) {
      el.disabled = done || state === "rejected";
    });
    card.querySelector("[data-reject]").textContent = state === "rejected" ? "Undo" : "Reject";
    card.querySelector("[data-reject]").hidden = done;
  }

  // --- Accepting: the source once, then one claim per card --------------------------------

  function ensureSource() {
    if (story.sourceId) return Promise.resolve(story.sourceId);
    if (!story.sourcePromise) {
      var body = { title: story.source.title, published_on: story.source.published_on, text: story.text };
      if (story.source.url) body.url = story.source.url;
      story.sourcePromise = C.api("/v1/sources", {
        method: "POST", json: body, headers: { "Idempotency-Key": story.sourceKey },
      }).then(function (answer) {
        if (!answer.ok) {
          story.sourcePromise = null;
          throw answer.body || { detail: "the source was refused" };
        }
        story.sourceId = answer.body.id;
        return story.sourceId;
      });
    }
    return story.sourcePromise;
  }

  function claimBody(card, c, sourceId) {
    var body = { quote: c.quote, stated_on: c.stated_on, source_id: sourceId };
    FIELDS.forEach(function (name) {
      var raw = card.querySelector('[name="' + name + '"]').value.trim();
      if (name === "topics") {
        body.topics = raw.split(",").map(function (t) { return t.trim(); }).filter(Boolean);
      } else if (raw !== "") {
        body[name] = raw;
      }
    });
    return body;
  }

  function accept(card, c) {
    if (card.dataset.state === "accepted" || card.dataset.busy) return;
    card.dataset.busy = "1";
    clearErrors(card);
    setState(card, "saving", "Saving…");
    ensureSource()
      .then(function (sourceId) {
        return C.api("/v1/claims", {
          method: "POST",
          json: claimBody(card, c, sourceId),
          headers: { "Idempotency-Key": card.dataset.key },
        });
      })
      .then(function (answer) {
        if (answer.ok) {
          setState(card, "accepted", "Accepted: recorded as a pending claim. ");
          var a = document.createElement("a");
          a.href = "/claims/" + answer.body.slug;
          a.textContent = "Open the claim";
          card.querySelector(".proposal-state").appendChild(a);
          return;
        }
        setState(card, "open", "Not recorded.");
        showErrors(card, answer.body);
      })
      .catch(function (problem) {
        setState(card, "open", "Not recorded.");
        showErrors(card, problem && problem.detail ? problem : { detail: "Could not reach the server." });
      })
      .then(function () {
        delete card.dataset.busy;
        counts();
      });
  }

  function counts() {
    var all = cards.querySelectorAll(".proposal-card");
    var n = function (state) { return cards.querySelectorAll('[data-state="' + state + '"]').length; };
    summary.textContent = all.length + " proposals: " + n("accepted") + " accepted, " +
      n("rejected") + " rejected, " + n("held") + " already in the tracker.";
  }

  // --- Finding the claims ------------------------------------------------------------------

  storyForm.addEventListener("submit", function (event) {
    event.preventDefault();
    clearErrors(storyForm);
    var text = storyForm.elements.text.value;
    var body = { text: text, published_on: storyForm.elements.published_on.value || null };
    var title = storyForm.elements.title.value.trim();
    var url = storyForm.elements.url.value.trim();
    if (title) body.title = title;
    if (url) body.url = url;
    var button = storyForm.querySelector("button[type=submit]");
    button.disabled = true;
    message.textContent = "Reading the story…";
    C.api("/v1/extract", { method: "POST", json: body })
      .then(function (answer) {
        if (!answer.ok) {
          message.textContent = "";
          showErrors(storyForm, answer.body);
          return null;
        }
        var draft = answer.body;
        story = { text: text, source: draft.source, sourceId: null, sourcePromise: null, sourceKey: newKey() };
        return C.api("/v1/intake/held", {
          method: "POST",
          json: {
            title: draft.source.title,
            url: draft.source.url,
            proposals: draft.claims.map(function (c) { return { quote: c.quote, slug: c.slug }; }),
          },
        }).then(function (check) {
          var held = check.ok ? check.body.held : [];
          story.sourceId = check.ok ? check.body.source_id : null;
          sourceLine.textContent = draft.source.title + " · " + draft.source.published_on +
            (story.sourceId ? " · already recorded as source " + story.sourceId : "");
          drawStory(text, draft.claims);
          cards.replaceChildren();
          draft.claims.forEach(function (c, i) { drawCard(c, i, !!held[i]); });
          result.hidden = false;
          counts();
          message.textContent = draft.claims.length
            ? "Found " + draft.claims.length + " proposed claims."
            : "No forward-looking claims found in this story.";
        });
      })
      .catch(function () {
        message.textContent = "Could not reach the server; try again.";
      })
      .then(function () {
        button.disabled = false;
      });
  });
})();
