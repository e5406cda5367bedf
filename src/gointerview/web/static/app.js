// gointerview: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  // --- the answer draft, kept on the server as the candidate types
  var form = document.getElementById("answer-form");
  var box = document.getElementById("answer");
  var status = document.getElementById("draft-status");
  if (form && box && status && form.dataset.draftUrl) {
    var url = form.dataset.draftUrl;
    var seq = parseInt(form.dataset.seq, 10);
    var saved = box.value;
    var timer = null;
    var show = function (key) { status.textContent = status.dataset[key] || ""; status.dataset.state = key; };
    var save = function (keepalive) {
      if (timer) { clearTimeout(timer); timer = null; }
      var text = box.value;
      if (text === saved) { return; }
      show("saving");
      fetch(url, {
        method: "PUT",
        keepalive: !!keepalive && text.length < 60000,
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ seq: seq, text: text })
      }).then(function (r) {
        if (r.ok) { saved = text; if (box.value === text) { show("saved"); } }
        else { show("failed"); }
      }).catch(function () { show("failed"); });
    };
    box.addEventListener("input", function () {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(save, 700);
    });
    box.addEventListener("blur", function () { save(false); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { save(true); }
    });
    window.addEventListener("pagehide", function () { save(true); });
    box.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        var submit = document.getElementById("submit-answer");
        if (submit && box.value.trim()) { form.requestSubmit(submit); }
      }
    });
  }
  // no double submission: the first click wins (the server checks too)
  document.querySelectorAll("form").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (f.dataset.confirm && !window.confirm(f.dataset.confirm)) { e.preventDefault(); return; }
      if (f.dataset.sent) { e.preventDefault(); return; }
      f.dataset.sent = "1";
      form === f && status && (saved = box ? box.value : saved);
    });
  });

  // --- the clock
  var clock = document.getElementById("time-left");
  if (clock && clock.dataset.running === "1") {
    var left = parseInt(clock.dataset.seconds, 10);
    var started = Date.now();
    var tick = function () {
      var now = Math.max(0, left - Math.floor((Date.now() - started) / 1000));
      var m = Math.floor(now / 60), s = now % 60;
      clock.textContent = m + ":" + (s < 10 ? "0" : "") + s;
      if (now === 0) { clock.textContent = clock.dataset.up; clock.classList.add("up"); return; }
      setTimeout(tick, 1000);
    };
    tick();
  }

  // --- the review: bring it into view and focus it for screen readers and keyboards
  var review = document.getElementById("review");
  if (review && window.location.hash === "#review") { review.focus({ preventScroll: false }); }

  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("[data-back]").forEach(function (a) {
    a.addEventListener("click", function (e) {
      if (window.history.length > 1) { e.preventDefault(); window.history.back(); }
    });
  });
})();
