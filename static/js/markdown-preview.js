/* Side-by-side preview of the guide admin's Markdown fields, and "Insert" for citation markers.
 *
 * Each <textarea data-markdown> gets a pane beside it showing the text as the
 * guide page will (citations numbered and named, unknown markers flagged),
 * fetched from the staff-only preview address in #markdown-tools. Without this
 * script the form works as before: the markers are listed to copy by hand.
 */
(function () {
  "use strict";

  var previewUrl = "";
  var lastFocused = null;

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function refresh(textarea, pane) {
    var body = new URLSearchParams();
    body.append("text", textarea.value);
    pane.setAttribute("aria-busy", "true");
    fetch(previewUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
      body: body,
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        pane.innerHTML = html; // our own template: sanitised Markdown and escaped study names
      })
      .catch(function () {
        pane.textContent = "The preview is not available just now; your text still saves.";
      })
      .finally(function () {
        pane.removeAttribute("aria-busy");
      });
  }

  function enhance(textarea) {
    if (textarea.hasAttribute("data-preview-ready") || textarea.id.indexOf("__prefix__") !== -1) {
      return;
    }
    textarea.setAttribute("data-preview-ready", "");
    var editor = document.createElement("div");
    editor.className = "markdown-editor";
    textarea.parentNode.insertBefore(editor, textarea);
    editor.appendChild(textarea);
    var pane = document.createElement("div");
    pane.className = "markdown-preview";
    pane.setAttribute("role", "region");
    pane.setAttribute("aria-live", "polite");
    pane.setAttribute("aria-label", "Preview of " + (textarea.getAttribute("data-markdown") || "the text"));
    editor.appendChild(pane);
    var timer = null;
    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        refresh(textarea, pane);
      }, 400);
    });
    textarea.addEventListener("focus", function () {
      lastFocused = textarea;
    });
    refresh(textarea, pane);
  }

  function insertMarker(marker) {
    var textarea = lastFocused || document.querySelector("textarea[data-preview-ready]");
    if (!textarea) {
      return;
    }
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    textarea.value = textarea.value.slice(0, start) + marker + textarea.value.slice(end);
    textarea.focus();
    textarea.selectionStart = textarea.selectionEnd = start + marker.length;
    textarea.dispatchEvent(new Event("input"));
  }

  function start() {
    var tools = document.getElementById("markdown-tools");
    if (!tools || !window.fetch) {
      return;
    }
    previewUrl = tools.getAttribute("data-preview-url");
    document.querySelectorAll("textarea[data-markdown]").forEach(enhance);
    document.addEventListener("formset:added", function (event) {
      event.target.querySelectorAll("textarea[data-markdown]").forEach(enhance);
    });
    tools.querySelectorAll("button[data-marker]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        insertMarker(button.getAttribute("data-marker"));
      });
    });
  }

  // The admin loads a form's scripts in <head>: wait for the form.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
