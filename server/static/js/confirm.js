// Confirmation for destructive buttons: a form with data-confirm="message" is sent only
// after confirm(message) says yes. One capture-phase listener covers every such form;
// without JavaScript the form still works, unasked.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);
})();
