// django_celery_beat's periodic task form: the chosen crontab, in words, under its help text
// (its template's inline script, moved here; templates/admin/djcelery/change_periodictask_form.html).
(function ($) {
  "use strict";
  const readableCrontabs = JSON.parse($("#readable-crontabs").text());
  const help = $(".field-crontab .help");
  const originalCrontabHelp = help.html();
  $(".field-crontab_translation").hide();
  $(".field-crontab").change(function () {
    const additional = readableCrontabs[$("#id_crontab").val()];
    help.text("").append(originalCrontabHelp, $("<br>"), document.createTextNode(`Translation: ${additional}`));
  });
})(django.jQuery);
