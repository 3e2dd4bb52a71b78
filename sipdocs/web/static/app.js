// sipdocs web app: the little the pages need beyond htmx (no inline script: CSP 'self').
// After a full save, move focus to the error summary (the GOV.UK error-summary pattern),
// so keyboard and screen-reader users land on the list of what to fix.
document.addEventListener("DOMContentLoaded", function () {
  var target = document.querySelector("[data-autofocus]");
  if (target && !window.location.hash) {
    target.focus();
  }
});
