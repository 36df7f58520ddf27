/* Alna Aktiv: two guards against lost work (docs/interaction.md). Loaded on every page by
   base.html; the pages work the same without it. */
(function () {
  "use strict";

  /* 1. Unsaved changes. A form marked data-varsle-ulagret (every form with a <textarea> is marked
     here, so pages need no change) makes the browser ask before the page is left once a field in it
     changed; sending the form clears it. data-varsle-ulagret="nei" opts a form out. */
  var GUARD = "data-varsle-ulagret";
  var changed = new Set();

  function guarded(form) {
    return form && form.hasAttribute(GUARD) && form.getAttribute(GUARD) !== "nei";
  }

  function markForms(root) {
    root.querySelectorAll("form").forEach(function (form) {
      if (!form.hasAttribute(GUARD) && form.querySelector("textarea:not([readonly]):not([disabled])")) {
        form.setAttribute(GUARD, "");
      }
      // A refused form comes back with what was typed: it is still not saved.
      if (guarded(form) && form.querySelector('[aria-invalid="true"], .is-invalid')) {
        changed.add(form);
      }
    });
  }

  function noteChange(event) {
    var form = event.target && event.target.form;
    if (guarded(form)) {
      changed.add(form);
    }
  }

  function unsaved() {
    var any = false;
    changed.forEach(function (form) {
      if (form.isConnected) {
        any = true;
      } else {
        changed.delete(form);
      }
    });
    return any;
  }

  document.addEventListener("input", noteChange, true);
  document.addEventListener("change", noteChange, true);
  document.addEventListener("submit", function (event) {
    changed.delete(event.target);
  }, true);
  window.addEventListener("beforeunload", function (event) {
    if (unsaved()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  markForms(document);
  document.addEventListener("htmx:load", function (event) {
    markForms(event.target.parentNode || document);
  });

  /* 2. Idle logout. The server ends a session SESSION_IDLE_MINUTES after its last request; the body
     says how long (data-okt-sekunder) and how early to warn (data-okt-varsel-sekunder). The dialog
     offers «Forbli innlogget», which POSTs to the renewal endpoint; unanswered, the page goes to the
     login page when the session has ended, so no personal data stays on an unattended screen.
     Every request renews the session, in any tab: the time of the last one is shared through
     localStorage. */
  var body = document.body;
  var idleMs = Number(body.getAttribute("data-okt-sekunder")) * 1000;
  var warnMs = Number(body.getAttribute("data-okt-varsel-sekunder")) * 1000;
  var dialog = document.getElementById("okt-varsel");
  if (!idleMs || !dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var KEY = "alnaaktiv.sistAktiv";
  // The server's clock started a little before this page ran; a second's margin keeps the login
  // page from opening while the session still lives.
  var MARGIN_MS = 1000;
  var lastActivity = Date.now();
  var timer = null;
  var returnFocus = null;

  function sharedActivity() {
    var stored = 0;
    try {
      stored = Number(window.localStorage.getItem(KEY)) || 0;
    } catch (error) {
      stored = 0;
    }
    return Math.max(lastActivity, stored);
  }

  function touch() {
    lastActivity = Date.now();
    try {
      window.localStorage.setItem(KEY, String(lastActivity));
    } catch (error) {
      // private mode: this tab keeps its own time
    }
    schedule();
  }

  function showWarning() {
    if (!dialog.open) {
      returnFocus = document.activeElement;
      dialog.showModal();
      dialog.querySelector("button").focus();
    }
  }

  function hideWarning() {
    if (dialog.open) {
      dialog.close();
      if (returnFocus && returnFocus.focus) {
        returnFocus.focus();
      }
    }
  }

  function expire() {
    changed.clear();
    var next = window.location.pathname + window.location.search;
    window.location.assign(body.getAttribute("data-innlogging-url") + "?next=" + encodeURIComponent(next));
  }

  function schedule() {
    window.clearTimeout(timer);
    var left = sharedActivity() + idleMs + MARGIN_MS - Date.now();
    if (left <= 0) {
      expire();
    } else if (left <= warnMs + MARGIN_MS) {
      showWarning();
      timer = window.setTimeout(schedule, Math.min(left, 1000));
    } else {
      hideWarning();
      timer = window.setTimeout(schedule, left - warnMs - MARGIN_MS);
    }
  }

  function stay(event) {
    if (event) {
      event.preventDefault();
    }
    var form = dialog.querySelector("form");
    window.fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin",
                               redirect: "manual"})
      .then(function (response) {
        if (response.status === 204) {
          touch();
        } else {
          expire();
        }
      })
      .catch(function () {
        // No answer (network down): keep the warning; the next tick decides.
        schedule();
      });
  }

  dialog.querySelector("form").addEventListener("submit", stay);
  // Escape closes a modal dialog: the user is here, so that means staying too.
  dialog.addEventListener("cancel", stay);
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) {
      schedule();
    }
  });
  document.addEventListener("htmx:afterRequest", touch);
  touch();
})();
