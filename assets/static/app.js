// Small conveniences on top of pages that work without JavaScript.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // A select marked data-autosubmit reloads the page when a pointer picks a new option, as its
  // form's reload button (or, in a filter form, the submit button) would. With the keyboard,
  // arrow keys and typing change the value at every step: the page waits until Enter (or the
  // form's button), so the keyboard can move through the options without losing its place.
  // A new province empties the commune, which belongs to the old one.
  var keyboardStep = null;
  var NAVIGATION_KEYS = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"];

  function autosubmitSelect(target) {
    return target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form ? target : null;
  }

  function changed(select) {
    return Array.prototype.some.call(select.options, function (option) {
      return option.selected !== option.defaultSelected;
    });
  }

  function reloadWith(select) {
    var form = select.form;
    var reload = form.querySelector("[data-reload]");
    if (reload) {
      reload.click();
    } else if (form.method.toLowerCase() === "get") {
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    }
  }

  document.addEventListener("keydown", function (event) {
    var select = autosubmitSelect(event.target);
    if (!select || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Enter") {
      if (changed(select)) {
        event.preventDefault();
        reloadWith(select);
      }
    } else if (NAVIGATION_KEYS.indexOf(event.key) >= 0 || (event.key.length === 1 && event.key !== " ")) {
      // The change these keys cause fires in the same task, right after this event.
      keyboardStep = select;
      window.setTimeout(function () { keyboardStep = null; }, 0);
    }
  });

  document.addEventListener("change", function (event) {
    var select = autosubmitSelect(event.target);
    if (!select) return;
    var form = select.form;
    if (select.name === "province" && form.elements.commune) form.elements.commune.value = "";
    if (keyboardStep === select) {
      // A hidden reload button shows, for the keyboard to reach it.
      if (form.querySelector("[data-reload]")) form.classList.add("reload-wanted");
      return;
    }
    reloadWith(select);
  });

  // A reload button with formmethod="get" inside a POST form would put the form's CSRF token
  // into the address (history, logs); leave it out of such submissions.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || (button.getAttribute("formmethod") || "").toLowerCase() !== "get") return;
    var token = event.target.elements.authenticity_token;
    if (token) token.disabled = true;
  });

  // A read-only field holding a link to pass on selects all of it when focused, to copy.
  document.addEventListener("focusin", function (event) {
    if (event.target instanceof HTMLInputElement && event.target.hasAttribute("data-select-all")) {
      event.target.select();
    }
  });

  // A running job's page follows the job's events stream: the bar and the count move with
  // each `progress` event, and the page reloads when the job changes state (starts, ends), to
  // show what the new state offers: the download, the error. Without EventSource it reloads
  // every few seconds, as the page's <noscript> refresh does without JavaScript.
  var job = document.querySelector("[data-job-events]");
  if (job && "EventSource" in window) {
    followJob(job);
  } else if (job) {
    window.setTimeout(function () { window.location.reload(); }, 3000);
  }

  function followJob(card) {
    var bar = card.querySelector("progress");
    var count = card.querySelector("[data-job-count]");
    var shownState = card.getAttribute("data-job-state");
    var events = new EventSource(card.getAttribute("data-job-events"));
    var number = function (n) { return n.toLocaleString("vi-VN"); };
    events.addEventListener("progress", function (event) {
      var now = JSON.parse(event.data);
      if (now.state !== shownState) {
        events.close();
        window.location.reload();
        return;
      }
      // As the page counts: failed and withheld items are handled too.
      var handled = now.done + now.failed + now.withheld;
      var percent = now.total > 0 ? Math.floor(handled * 100 / now.total) : 0;
      bar.max = now.total > 0 ? now.total : 100;
      bar.value = now.total > 0 ? handled : percent;
      bar.textContent = percent + "%";
      count.textContent = number(handled) + " / " + number(now.total) + " · " + percent + "%";
      card.querySelectorAll("[data-job-field]").forEach(function (field) {
        field.textContent = number(now[field.getAttribute("data-job-field")]);
      });
    });
    // The stream closes when the job ends; a refused or lost one (logged out, job gone) is
    // for the page to explain.
    events.addEventListener("error", function () {
      if (events.readyState === EventSource.CLOSED) window.location.reload();
    });
  }

  // The check-in page's "Quét mã QR" button, shown only where the browser reads QR codes from
  // the camera (BarcodeDetector). The QR holds the invitation's link (…/verify/CODE); the server
  // takes the code from it, so the raw text is sent.
  var scan = document.querySelector("[data-qr-scan]");
  if (scan && "BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      if (formats.indexOf("qr_code") >= 0) setUpScanner(scan);
    }, function () {});
  }

  function setUpScanner(button) {
    var form = button.form;
    var view = form.querySelector("[data-qr-view]");
    var video = view.querySelector("video");
    var failure = form.querySelector("[data-qr-error]");
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    var stream = null;

    function stop() {
      if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
      video.srcObject = null;
      view.hidden = true;
      button.hidden = false;
    }

    function look() {
      if (!stream) return;
      detector.detect(video).then(function (codes) {
        if (!stream) return;
        if (codes.length > 0 && codes[0].rawValue) {
          form.elements.code.value = codes[0].rawValue;
          stop();
          if (form.requestSubmit) form.requestSubmit(); else form.submit();
        } else {
          window.setTimeout(look, 150);
        }
      }, function () { window.setTimeout(look, 300); });
    }

    button.hidden = false;
    button.addEventListener("click", function () {
      failure.hidden = true;
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          view.hidden = false;
          button.hidden = true;
          return video.play();
        })
        .then(look)
        .catch(function () {
          stop();
          failure.hidden = false;
        });
    });
    view.querySelector("[data-qr-stop]").addEventListener("click", stop);
    // Leaving the page (or putting the phone away) turns the camera off.
    document.addEventListener("visibilitychange", function () { if (document.hidden) stop(); });
  }
})();
