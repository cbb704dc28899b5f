// The lead-status board: drag a card to another column, or pick a column in the card's
// "Move to" select and press Move (the keyboard's way; without JavaScript that form posts
// itself). The new status is saved with a CSRF-protected POST, and the card goes back to
// where it was if saving fails.
(function () {
  "use strict";

  var csrfToken = document.querySelector('meta[name="csrf-token"]').content;

  function updateCounts(board) {
    board.querySelectorAll(".board-column").forEach(function (column) {
      column.querySelector("[data-count]").textContent =
        column.querySelectorAll(".board-card").length;
    });
  }

  function showError(message) {
    var box = document.querySelector("[data-board-error]");
    box.textContent = message;
    box.hidden = !message;
  }

  function saveStatus(card, status) {
    var body = new URLSearchParams({ lead_status: status });
    return fetch(card.dataset.statusUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken, "Accept": "application/json" },
      body: body,
    }).then(function (response) {
      if (response.ok) return response.json();
      // The app answers errors with {"error", "message"}; anything else (a proxy) gets a code.
      return response.json().catch(function () { return {}; }).then(function (body) {
        throw new Error(body.message || "the server answered " + response.status);
      });
    });
  }

  // Put the card at the top of the column and save; undo the move if the save fails.
  function moveCard(board, card, column) {
    var zone = column.querySelector("[data-dropzone]");
    var from = card.parentElement;
    var next = card.nextSibling;
    if (from === zone) return;
    var select = card.querySelector("select[name=lead_status]");
    var hadFocus = select && document.activeElement === select;
    var previous = from.closest(".board-column").dataset.status;
    zone.prepend(card);
    // Moving a node drops its focus: give it back, so the keyboard stays on the card.
    if (hadFocus) select.focus();
    if (select) select.value = column.dataset.status;
    card.classList.add("saving");
    updateCounts(board);
    showError("");
    saveStatus(card, column.dataset.status).then(function () {
      card.classList.remove("saving");
      card.dataset.saved = column.dataset.status;
    }).catch(function (error) {
      from.insertBefore(card, next);
      if (select) select.value = previous;
      card.classList.remove("saving");
      updateCounts(board);
      showError("The status was not saved: " + error.message);
    });
  }

  function init() {
    var board = document.querySelector("[data-board]");
    if (!board) return;
    var dragged = null;

    board.addEventListener("submit", function (event) {
      var form = event.target.closest("[data-move]");
      if (!form) return;
      event.preventDefault();
      var status = form.elements.lead_status.value;
      var column = board.querySelector('.board-column[data-status="' + status + '"]');
      if (column) moveCard(board, form.closest(".board-card"), column);
    });
    board.addEventListener("dragstart", function (event) {
      dragged = event.target.closest(".board-card");
      if (!dragged) return;
      dragged.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.dataset.contactId);
    });
    board.addEventListener("dragend", function () {
      if (dragged) dragged.classList.remove("dragging");
      board.querySelectorAll(".drop-target").forEach(function (column) {
        column.classList.remove("drop-target");
      });
    });
    board.addEventListener("dragover", function (event) {
      var column = event.target.closest(".board-column");
      if (!column || !dragged) return;
      event.preventDefault(); // allows the drop
      event.dataTransfer.dropEffect = "move";
      column.classList.add("drop-target");
    });
    board.addEventListener("dragleave", function (event) {
      var column = event.target.closest(".board-column");
      if (column && !column.contains(event.relatedTarget)) column.classList.remove("drop-target");
    });
    board.addEventListener("drop", function (event) {
      var column = event.target.closest(".board-column");
      if (!column || !dragged) return;
      event.preventDefault();
      column.classList.remove("drop-target");
      moveCard(board, dragged, column);
    });
  }

  document.addEventListener("DOMContentLoaded", init);
})();
