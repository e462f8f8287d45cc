// custio panel: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  // API answers (row errors) come in the panel's language.
  var lang = document.documentElement.lang || "en";

  // "12 per second" in the page's language: the element's data-rate text with the number.
  function rate(box, value) {
    return value ? (box.dataset.rate || "{rate}").replace("{rate}", Math.round(value)) : "";
  }

  // "Select all" checkboxes.
  document.querySelectorAll("input.check-all").forEach(function (box) {
    box.addEventListener("change", function () {
      document.querySelectorAll('input[name="' + box.dataset.target + '"]').forEach(function (b) {
        if (!b.disabled) { b.checked = box.checked; }
      });
    });
  });

  // Live progress of a job page and of the job queue.
  function poll(id, update) {
    fetch("/api/v1/jobs/" + id, { credentials: "same-origin", headers: { "Accept-Language": lang } })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        update(job);
        if (job.state === "queued" || job.state === "running") {
          setTimeout(function () { poll(id, update); }, 500);
        }
      })
      .catch(function () { setTimeout(function () { poll(id, update); }, 2000); });
  }
  var jobBox = document.getElementById("job");
  if (jobBox && (jobBox.dataset.state === "queued" || jobBox.dataset.state === "running")) {
    poll(jobBox.dataset.job, function (job) {
      var bar = document.getElementById("job-progress");
      if (job.total) { bar.max = job.total; }
      bar.value = job.done;
      document.getElementById("job-done").textContent = job.done;
      document.getElementById("job-rate").textContent = rate(jobBox, job.rate);
      if (job.state !== "queued" && job.state !== "running") { window.location.reload(); }
    });
  }
  var jobList = document.getElementById("jobs");
  document.querySelectorAll("#jobs tr[data-job]").forEach(function (row) {
    if (row.dataset.state !== "queued" && row.dataset.state !== "running") { return; }
    poll(row.dataset.job, function (job) {
      var bar = row.querySelector("progress");
      if (job.total) { bar.max = job.total; }
      bar.value = job.done;
      row.querySelector(".done").textContent = job.done;
      row.querySelector(".rate").textContent = rate(jobList, job.rate);
      if (job.state !== "queued" && job.state !== "running") { window.location.reload(); }
    });
  });

  // Inline row edit: saved through the API and re-validated at once, without a reload.
  document.querySelectorAll("form.edit-row").forEach(function (form) {
    // Another column chosen: its own value to edit, never the previous column's.
    var field = form.querySelector(".edit-field");
    field.addEventListener("change", function () {
      form.querySelector(".edit-value").value = field.selectedOptions[0].dataset.value || "";
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var body = {};
      body.field = form.querySelector(".edit-field").value;
      body.value = form.querySelector(".edit-value").value;
      fetch("/api/v1/batches/" + form.dataset.batch + "/rows/" + form.dataset.line, {
        method: "PATCH",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, "Accept-Language": lang },
        body: JSON.stringify(body)
      }).then(function (r) { return r.json().then(function (j) { return [r.ok, j]; }); })
        .then(function (res) {
          var row = document.getElementById("line-" + form.dataset.line);
          var errors = row.querySelector(".row-errors");
          if (!res[0]) {
            errors.textContent = row.closest("table").getAttribute("data-edit-failed") || res[1].error.message;
            return;
          }
          var r = res[1];
          row.className = "status-" + r.status;
          row.querySelector(".row-status").textContent = row.closest("table").getAttribute("data-st-" + r.status) || r.status;
          errors.textContent = "";
          r.errors.forEach(function (e) {
            var d = document.createElement("div"); d.textContent = e; errors.appendChild(d);
          });
          var box = row.querySelector('input[name="lines"]');
          if (box && r.status === "pending") { box.checked = true; }
        });
    });
  });
})();
