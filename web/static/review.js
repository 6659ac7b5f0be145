// The review queue: once someone is signed in (in this tab), offer "Assigned to me", the
// queue filtered to the claims assigned to their token's name.
"use strict";

(function () {
  var link = document.getElementById("assigned-to-me");
  if (!link) return;
  window.Claims.session.onChange(function (current) {
    link.hidden = !current;
    if (current) link.href = "/review?assignee=" + encodeURIComponent(current.name);
  });
})();
