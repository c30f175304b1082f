/*
 * Gives each text the language and direction it is written in, so that Arabic
 * (or any right-to-left language) mixed with Latin words, punctuation and tags
 * is laid out by the browser's bidirectional algorithm instead of coming out
 * scrambled in a left-to-right admin.
 *
 * - In wagtail-localize's translation editor (a React app), each segment is a
 *   list item holding the source text (a paragraph) and the translation (a
 *   block holding the saved text, or the field being typed into): the source
 *   gets the source language, the translation the target language.
 * - In a page editor marked with data-content-lang, every field where text is
 *   typed gets the page's language. Wagtail's own page editor is marked from
 *   the page's language, given as JSON in #content-language: its text inputs,
 *   text areas and rich text (Draftail) editors, slugs and dates excepted.
 *
 * Segments and stream blocks appear after the page loads, hence the observer.
 */
(function () {
  'use strict';

  var TEXT_INPUTS = 'input[type="text"], input:not([type]), textarea, [contenteditable="true"]';

  function mark(element, lang, dir) {
    if (element.getAttribute('lang') !== lang) element.setAttribute('lang', lang);
    if (element.getAttribute('dir') !== dir) element.setAttribute('dir', dir);
  }

  function markTranslationEditor(editor) {
    var source = [editor.dataset.sourceLang, editor.dataset.sourceDir];
    var target = [editor.dataset.targetLang, editor.dataset.targetDir];
    editor.querySelectorAll('li.complete, li.incomplete, li.errored').forEach(function (segment) {
      Array.prototype.forEach.call(segment.children, function (child) {
        if (child.tagName === 'P') {
          mark(child, source[0], source[1]);
        } else if (child.tagName === 'DIV') {
          mark(child, target[0], target[1]);
          child.querySelectorAll(TEXT_INPUTS).forEach(function (field) {
            mark(field, target[0], target[1]);
          });
        }
      });
    });
  }

  // Not text in a language: an address's slug, a date picked in the admin's format.
  var NOT_TEXT = '[name="slug"], [name$="-slug"], [data-controller~="w-slug"], .w-field--date_field input, .w-field--date_time_field input, .w-field--time_field input';

  function markContentForm(form) {
    var lang = form.dataset.contentLang;
    var dir = form.dataset.contentDir;
    form.querySelectorAll(TEXT_INPUTS).forEach(function (field) {
      if (!field.matches(NOT_TEXT)) mark(field, lang, dir);
    });
  }

  function markPageEditor() {
    var declared = document.getElementById('content-language');
    if (!declared) return;
    var language = JSON.parse(declared.textContent);
    document.querySelectorAll('form[data-edit-form]').forEach(function (form) {
      form.dataset.contentLang = language.lang;
      form.dataset.contentDir = language.dir;
    });
  }

  function watch(root, apply) {
    apply(root);
    new MutationObserver(function () {
      apply(root);
    }).observe(root, { childList: true, subtree: true });
  }

  function start() {
    markPageEditor();
    document.querySelectorAll('.js-translation-editor[data-target-lang]').forEach(function (editor) {
      watch(editor, markTranslationEditor);
    });
    document.querySelectorAll('[data-content-lang]').forEach(function (form) {
      watch(form, markContentForm);
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
