// Follow a case live (app/staff/follow.py): poll the case's live region with its ETag and swap in
// what the server renders when something changed. Without this script the page has a Refresh link.
(function () {
  "use strict";

  var region = document.getElementById("live-case");
  if (!region || !window.fetch) { return; }
  var url = region.getAttribute("data-url");
  var etag = region.getAttribute("data-etag");
  var interval = parseInt(region.getAttribute("data-interval"), 10) || 2000;
  var maxDelay = 60000;
  var delay = interval;
  var timer = null;
  var stopped = false;
  var refresh = document.getElementById("live-refresh");
  if (refresh) { refresh.textContent = region.getAttribute("data-updating"); }

  function schedule(wait) {
    clearTimeout(timer);
    timer = null;
    if (!stopped && !document.hidden) { timer = setTimeout(poll, wait); }
  }

  function stop() {
    stopped = true;
    clearTimeout(timer);
    if (refresh) {
      var link = document.createElement("a");
      link.href = window.location.pathname + "#follow";
      link.textContent = region.getAttribute("data-stopped");
      refresh.textContent = "";
      refresh.appendChild(link);
    }
  }

  function poll() {
    var headers = { "X-Requested-With": "fetch" };
    if (etag) { headers["If-None-Match"] = '"' + etag + '"'; }
    fetch(url, { headers: headers, credentials: "same-origin", cache: "no-store", redirect: "manual" })
      .then(function (response) {
        if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403 ||
            response.status === 404) {
          stop();  // signed out, or the case is gone: a reload says which
          return null;
        }
        if (response.status === 304) { delay = interval; return null; }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        var tag = response.headers.get("ETag");
        return response.json().then(function (body) {
          region.innerHTML = body.html;  // rendered and escaped by the server, from our own origin
          var summary = document.getElementById("case-summary");
          if (summary && body.summary) { summary.outerHTML = body.summary; }  // the verdict above agrees
          var ticket = document.querySelector("#ticket-text[data-live] pre code");
          if (ticket && body.ticket) { ticket.textContent = body.ticket; }  // and the text for the ticket
          var expiry = document.querySelector("#case-expiry[data-live]");
          if (expiry && body.expiry) { expiry.textContent = body.expiry; }  // and the certificate's expiry
          etag = tag ? tag.replace(/^W\//, "").replace(/"/g, "") : "";
          delay = interval;
        });
      })
      .then(function () { schedule(delay); }, function () {
        delay = Math.min(delay * 2, maxDelay);  // back off while the server or network fails
        schedule(delay);
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { clearTimeout(timer); timer = null; } else { delay = interval; schedule(0); }
  });
  schedule(0);
})();
