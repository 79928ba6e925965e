// The pages work without this script; it only moves the keyboard and screen-reader focus to what a page has to say
// (the error summary, or the banner of what was just done), as GOV.UK's pattern does, and lets a choice of role show
// only the fields it needs.
(function () {
  'use strict';
  function ready(fn) {
    if (document.readyState !== 'loading') fn(); else document.addEventListener('DOMContentLoaded', fn);
  }
  ready(function () {
    var first = document.querySelector('[data-autofocus]');
    if (first) first.focus();

    // A link in the error summary moves the focus to its field (not only the view).
    document.querySelectorAll('.error-summary a[href^="#"]').forEach(function (link) {
      link.addEventListener('click', function (event) {
        var target = document.getElementById(link.getAttribute('href').slice(1));
        if (target) {
          event.preventDefault();
          target.scrollIntoView({ block: 'center' });
          target.focus();
        }
      });
    });

    // Fields shown only for one choice of a radio group (data-shown-for="name=value").
    document.querySelectorAll('[data-shown-for]').forEach(function (block) {
      var rule = block.getAttribute('data-shown-for').split('=');
      var radios = document.querySelectorAll('input[type=radio][name="' + rule[0] + '"]');
      function update() {
        var checked = document.querySelector('input[type=radio][name="' + rule[0] + '"]:checked');
        block.hidden = !(checked && checked.value === rule[1]);
      }
      radios.forEach(function (radio) { radio.addEventListener('change', update); });
      update();
    });
  });
})();
