// Progressive enhancement only: the pages work without it.
(function () {
  "use strict";

  // After a submit with errors, land on the summary (GOV.UK error summary pattern);
  // its links move focus to the field and show the field's question above it.
  function focusErrorSummary() {
    var summary = document.querySelector(".error-summary");
    if (!summary) { return; }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var input = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!input) { return; }
      event.preventDefault();
      var question = input.closest("fieldset") || input.closest(".form-group") || input;
      question.scrollIntoView();
      input.focus({ preventScroll: true });
    });
  }

  function announce(message) {
    var status = document.getElementById("live-status");
    if (!status) { return; }
    status.textContent = "";
    // A fresh text node after a beat, so the same message is announced again on a second copy.
    setTimeout(function () { status.textContent = message; }, 50);
  }

  // Without the Clipboard API (plain-http intranet hosts) select the text: the older copy command
  // may still copy it, and if not, Ctrl+C does.
  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function setUpCopyButton(button) {
    var code = button.parentElement.querySelector("pre");
    var text = button.querySelector("[data-copy-text]");
    var label = text.textContent;
    var status = document.getElementById("live-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      function copied() {
        text.textContent = status.getAttribute("data-copied");
        announce(status.getAttribute("data-copied"));
        setTimeout(function () { text.textContent = label; }, 3000);
      }
      function selectInstead() {
        code.focus();
        selectText(code);
        var done = false;
        try { done = document.execCommand("copy"); } catch (error) { done = false; }
        if (done) { copied(); } else { announce(status.getAttribute("data-selected")); }
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(code.innerText).then(copied, selectInstead);
      } else {
        selectInstead();
      }
    });
  }

  // Paper shows what the screen keeps behind <details>; after printing, the screen is as it was.
  function printDetailsOpen() {
    var closed = [];
    window.addEventListener("beforeprint", function () {
      closed = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) {
        d.open = true;
        return true;
      });
    });
    window.addEventListener("afterprint", function () {
      closed.forEach(function (d) { d.open = false; });
      closed = [];
    });
  }

  // A result far below its form (the form posts to "#<its id>", which scrolls there without JavaScript):
  // focus it too, so that a screen reader reads the result rather than the top of the page.
  function focusArrival() {
    var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (target && target.classList.contains("arrival") && !document.querySelector(".error-summary")) {
      target.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    printDetailsOpen();
    focusArrival();
    focusErrorSummary();
    document.querySelectorAll("[data-copy]").forEach(setUpCopyButton);
  });
}());
