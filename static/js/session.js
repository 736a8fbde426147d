/* Issue #12, door 2: warn before the idle timeout, and put back what was typed when a form was
   sent after the session had ended (templates/includes/session_timeout.html). */
(function () {
  "use strict";

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (field) {
      return field.value;
    }
    var headers = document.body.getAttribute("hx-headers");
    try {
      return headers ? JSON.parse(headers)["X-CSRFToken"] || "" : "";
    } catch (error) {
      return "";
    }
  }

  function describe(seconds) {
    if (seconds >= 90) {
      return Math.round(seconds / 60) + " minutes";
    }
    return seconds + (seconds === 1 ? " second" : " seconds");
  }

  function startWarning() {
    var root = document.getElementById("tat-session");
    var dialog = document.getElementById("tat-session-dialog");
    if (!root || !dialog || typeof dialog.showModal !== "function") {
      return;
    }
    var statusUrl = root.dataset.statusUrl;
    var warnBefore = parseInt(root.dataset.warningSeconds, 10) || 120;
    var deadline = Date.now() + (parseInt(root.dataset.idleSeconds, 10) || 1800) * 1000;
    var countdown = document.getElementById("tat-session-countdown");
    var text = document.getElementById("tat-session-text");
    var ended = document.getElementById("tat-session-ended");
    var stay = document.getElementById("tat-session-stay");
    var timer = null;

    function secondsLeft() {
      return Math.max(0, Math.round((deadline - Date.now()) / 1000));
    }

    function showEnded() {
      text.hidden = true;
      ended.hidden = false;
      stay.hidden = true;
      if (!dialog.open) {
        dialog.showModal();
      }
    }

    function tick() {
      var left = secondsLeft();
      if (left <= 0) {
        showEnded();
        return;
      }
      countdown.textContent = describe(left);
      timer = window.setTimeout(tick, 1000);
    }

    function schedule(seconds) {
      window.clearTimeout(timer);
      deadline = Date.now() + seconds * 1000;
      timer = window.setTimeout(check, Math.max(0, seconds - warnBefore) * 1000);
    }

    // Another tab may have kept the session alive: ask before warning (reading the time left
    // does not count as activity).
    function check() {
      fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (status) {
          if (!status.signed_in) {
            deadline = Date.now();
            showEnded();
          } else if (status.seconds_left > warnBefore) {
            schedule(status.seconds_left);
          } else {
            deadline = Date.now() + status.seconds_left * 1000;
            text.hidden = false;
            ended.hidden = true;
            stay.hidden = false;
            tick();
            if (!dialog.open) {
              dialog.showModal();
            }
          }
        })
        .catch(function () {
          timer = window.setTimeout(check, 30000);
        });
    }

    stay.addEventListener("click", function () {
      fetch(statusUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      })
        .then(function (response) { return response.json(); })
        .then(function (status) {
          if (status.signed_in) {
            dialog.close();
            schedule(status.seconds_left);
          } else {
            showEnded();
          }
        });
    });
    document.getElementById("tat-session-close").addEventListener("click", function () {
      dialog.close();
    });
    // Any request this page makes (htmx included) restarts the server's idle clock.
    document.body.addEventListener("htmx:afterRequest", function () {
      if (secondsLeft() > 0) {
        schedule(parseInt(root.dataset.idleSeconds, 10) || 1800);
      }
    });
    schedule(secondsLeft());
  }

  function sameAction(form, path) {
    var action = new URL(form.getAttribute("action") || window.location.href, window.location.href);
    return action.pathname === path;
  }

  function fill(form, data) {
    var filled = 0;
    Object.keys(data).forEach(function (name) {
      var values = data[name];
      var fields = Array.prototype.filter.call(form.elements, function (element) {
        return element.name === name && element.type !== "file" && element.type !== "submit";
      });
      fields.forEach(function (field, index) {
        if (field.type === "checkbox" || field.type === "radio") {
          field.checked = values.indexOf(field.value) !== -1;
        } else if (field.tagName === "SELECT" && field.multiple) {
          Array.prototype.forEach.call(field.options, function (option) {
            option.selected = values.indexOf(option.value) !== -1;
          });
        } else if (index < values.length) {
          field.value = values[index];
        }
        field.dispatchEvent(new Event("change", { bubbles: true }));
        filled += 1;
      });
    });
    return filled;
  }

  // Put back what was typed (never sent again by itself: the person checks and saves).
  function restoreForm() {
    var source = document.getElementById("tat-restored-form");
    if (!source) {
      return;
    }
    var saved = JSON.parse(source.textContent);
    var best = null;
    var bestCount = 0;
    Array.prototype.forEach.call(document.forms, function (form) {
      if (!sameAction(form, saved.action)) {
        return;
      }
      var count = Object.keys(saved.data).filter(function (name) {
        return form.elements.namedItem(name) !== null;
      }).length;
      if (count > bestCount) {
        best = form;
        bestCount = count;
      }
    });
    if (best && fill(best, saved.data) > 0) {
      var alert = document.getElementById("tat-restored-alert");
      if (alert) {
        alert.hidden = false;
      }
      var first = best.querySelector("textarea, input:not([type=hidden]), select");
      if (first) {
        first.focus();
      }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    restoreForm();
    startWarning();
  });
})();
