// sipdocs web app: the little the pages need beyond htmx (no inline script: CSP 'self').
(function () {
  "use strict";

  // After a full save, move focus to the error summary (the GOV.UK error-summary pattern),
  // so keyboard and screen-reader users land on the list of what to fix.
  document.addEventListener("DOMContentLoaded", function () {
    var target = document.querySelector("[data-autofocus]");
    if (target && !window.location.hash) {
      target.focus();
    }
  });

  // A button (save, add or remove a row) posts the whole form. An autosave still in flight
  // must finish first — its answer carries the version the button's post is based on — and
  // no autosave may start after it: a late one would store the page as it was before the
  // button's change.
  var inflight = 0;
  var pending = null;

  function isDocForm(el) {
    return el && el.matches && el.matches("form.doc-form");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (!isDocForm(form)) { return; }
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    inflight += 1;
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!isDocForm(form)) { return; }
    inflight = Math.max(0, inflight - 1);
    if (inflight === 0 && pending) {
      var submitter = pending;
      pending = null;
      form.requestSubmit(submitter);
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!isDocForm(form)) { return; }
    form.dataset.submitting = "1";
    if (inflight > 0) {
      event.preventDefault();
      pending = event.submitter || form.querySelector("button[type=submit]");
    }
  }, true);
})();
