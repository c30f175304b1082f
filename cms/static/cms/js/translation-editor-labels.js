/*
 * Names the fields of wagtail-localize's translation editor (a React app) for
 * assistive technology: the field a segment is translated in is named after
 * the segment's field ("Title, translation into English"), and the PO file
 * input of the upload tab says what it takes. The words come translated from
 * the page (#translation-editor-labels). Fields appear after the page loads,
 * and come and go as segments are edited, hence the observer.
 */
(function () {
  'use strict';

  function labelFields(editor, labels) {
    editor.querySelectorAll('input[type="file"]:not([aria-label])').forEach(function (input) {
      input.setAttribute('aria-label', labels.file);
    });
    editor.querySelectorAll('textarea:not([aria-label]), input[type="text"]:not([aria-label])').forEach(function (field) {
      var segmentField = field.closest('li');
      var group = segmentField && segmentField.parentElement ? segmentField.parentElement.closest('li') : null;
      var heading = group ? group.querySelector(':scope > h3') : null;
      var name = heading ? heading.textContent.trim() : '';
      field.setAttribute('aria-label', name ? labels.segment.replace('{field}', name) : labels.segmentUnnamed);
    });
  }

  function start() {
    var source = document.getElementById('translation-editor-labels');
    var editor = document.querySelector('.js-translation-editor');
    if (!source || !editor) return;
    var labels = JSON.parse(source.textContent);
    labelFields(editor, labels);
    new MutationObserver(function () {
      labelFields(editor, labels);
    }).observe(editor, { childList: true, subtree: true });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
