// Session form: the convocation follows the first day at 08:00 while the user has not set it (release note R4).
// The server does the same without JavaScript (examens.rules.left_as_shown): this script only spares a reload.
(function () {
  "use strict";
  var start = document.getElementById("id_start_date");
  var end = document.getElementById("id_end_date");
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

  function onStartChange() {
    if (!start.value) {
      return;
    }
    if (end && (!end.value || end.value < start.value)) {
      end.value = start.value;
    }
    if (following()) {
      convDate.value = start.value;
      convTime.value = DEFAULT_TIME;
      shown.value = start.value + "T" + DEFAULT_TIME;
    }
  }

  start.addEventListener("change", onStartChange);
  start.addEventListener("input", onStartChange);
})();
