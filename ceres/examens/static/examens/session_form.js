// Session form: the convocation follows the first day at 08:00 (at the start of the tests if they begin earlier)
// while the user has not set it (release note R4, docs/decisions/0008). The server does the same without JavaScript
// (examens.rules.left_as_shown, default_convocation): this script only spares a reload.
(function () {
  "use strict";
  var start = document.getElementById("id_start_date");
  var end = document.getElementById("id_end_date");
  var startTime = document.getElementById("id_start_time");
  var convDate = document.getElementById("id_convocation_date");
  var convTime = document.getElementById("id_convocation_time");
  var shown = document.querySelector("input[name='convocation_shown']");
  if (!start || !convDate || !convTime || !shown) {
    return;
  }
  var DEFAULT_TIME = "08:00";

  function following() {
    return shown.value !== "" && shown.value === convDate.value + "T" + convTime.value;
  }

  function defaultTime() {
    // "HH:MM" strings compare like times.
    if (startTime && startTime.value && startTime.value < DEFAULT_TIME) {
      return startTime.value;
    }
    return DEFAULT_TIME;
  }

  function follow() {
    if (!start.value || !following()) {
      return;
    }
    convDate.value = start.value;
    convTime.value = defaultTime();
    shown.value = convDate.value + "T" + convTime.value;
  }

  function onStartChange() {
    if (!start.value) {
      return;
    }
    if (end && (!end.value || end.value < start.value)) {
      end.value = start.value;
    }
    follow();
  }

  start.addEventListener("change", onStartChange);
  start.addEventListener("input", onStartChange);
  if (startTime) {
    startTime.addEventListener("change", follow);
    startTime.addEventListener("input", follow);
  }
})();
