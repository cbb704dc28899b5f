// Copy buttons for install snippets and campaign links: every `pre.snippet` and
// `input.copy-field` gets a small "Copy" button after it.
(function () {
  "use strict";

  function textOf(element) {
    return element.tagName === "INPUT" ? element.value : element.textContent;
  }

  function copy(element, button) {
    var done = function () { button.textContent = "Copied"; };
    var manual = function () {
      // Without the Clipboard API (a plain-http host), select the text for Ctrl+C.
      if (element.select) { element.select(); } else {
        window.getSelection().selectAllChildren(element);
      }
      button.textContent = "Press Ctrl+C";
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(textOf(element)).then(done, manual);
    } else {
      manual();
    }
    setTimeout(function () { button.textContent = "Copy"; }, 2000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("pre.snippet, input.copy-field").forEach(function (element) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button ghost small copy-button";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy to the clipboard");
      button.addEventListener("click", function () { copy(element, button); });
      element.insertAdjacentElement("afterend", button);
    });
  });
})();
