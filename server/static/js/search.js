// Search criteria rows: add and remove rows. Without JavaScript the one row still works.
(function () {
  "use strict";

  function init() {
    var list = document.querySelector("[data-criteria]");
    var template = document.getElementById("criterion-template");
    var add = document.querySelector("[data-add-criterion]");
    if (!list || !template || !add) return;

    function refresh() {
      // The last row stays: there is always one to fill in.
      var rows = list.querySelectorAll("[data-criterion]");
      rows.forEach(function (row) {
        row.querySelector("[data-remove-criterion]").hidden = rows.length < 2;
      });
    }

    add.hidden = false;
    add.addEventListener("click", function () {
      list.appendChild(template.content.cloneNode(true));
      refresh();
      var rows = list.querySelectorAll("[data-criterion]");
      rows[rows.length - 1].querySelector("select").focus();
    });
    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-remove-criterion]");
      if (!button) return;
      button.closest("[data-criterion]").remove();
      refresh();
    });
    refresh();
  }

  document.addEventListener("DOMContentLoaded", init);
})();
