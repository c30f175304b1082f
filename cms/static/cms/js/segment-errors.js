/*
 * Says why the server refused a segment the translator saved in
 * wagtail-localize's translation editor (a React app). Its script only marks
 * the segment as errored; the reason (markup that is not the source's, an
 * item under review, a language not hers) comes back as JSON and is shown
 * here, above the editor, in an alert that assistive technology reads out.
 */
(function () {
  'use strict';

  var SEGMENT_URL = /\/translate\/\d+\/(strings|overrides)\/\d+\/edit\/$/;

  function messageOf(body) {
    var error = body && body.error;
    if (typeof error === 'string') return error;
    if (error && typeof error.message === 'string') return error.message;
    return null;
  }

  function show(editor, message) {
    var alert = document.getElementById('segment-save-error');
    if (!alert) {
      alert = document.createElement('div');
      alert.id = 'segment-save-error';
      alert.className = 'help-block help-critical';
      alert.setAttribute('role', 'alert');
      editor.parentNode.insertBefore(alert, editor);
    }
    alert.textContent = message || '';
    alert.hidden = !message;
  }

  function start() {
    var editor = document.querySelector('.js-translation-editor');
    if (!editor || !window.fetch) return;
    var fetch = window.fetch;
    window.fetch = function (resource, options) {
      var url = typeof resource === 'string' ? resource : resource && resource.url;
      var method = ((options && options.method) || 'GET').toUpperCase();
      var result = fetch.apply(this, arguments);
      if (!url || (method !== 'PUT' && method !== 'DELETE') || !SEGMENT_URL.test(url.split('?')[0])) return result;
      return result.then(function (response) {
        if (response.ok) {
          show(editor, null);
        } else {
          response.clone().json().then(function (body) {
            show(editor, messageOf(body) || editor.dataset.segmentRefused);
          }, function () {
            show(editor, editor.dataset.segmentRefused);
          });
        }
        return response;
      });
    };
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
