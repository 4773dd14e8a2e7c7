/* Avisa storefront forms: progressive enhancement only. Without this file every form posts
   normally and every pagination link loads a page; with it, forms post with fetch and show
   the answer in place, and pagination swaps the review list without a reload. */
(function () {
  'use strict';
  if (!window.fetch || !window.FormData || !document.querySelector) return;

  function $$(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  function setStatus(form, text) {
    var status = form.querySelector('[data-avisa-status]');
    if (status) status.textContent = text || '';
  }

  function controls(form, name) {
    return $$(form, '[name]').filter(function (el) {
      return el.name === name && el.type !== 'hidden';
    });
  }

  function clearErrors(form) {
    $$(form, '[data-avisa-error-for]').forEach(function (el) {
      el.textContent = '';
    });
    $$(form, '[aria-invalid]').forEach(function (el) {
      el.removeAttribute('aria-invalid');
    });
  }

  // Shows { field: message } next to each field; returns the first invalid control on the page.
  function showErrors(form, errors) {
    Object.keys(errors || {}).forEach(function (name) {
      var key = window.CSS && CSS.escape ? CSS.escape(name) : name;
      var slot = form.querySelector('[data-avisa-error-for="' + key + '"]');
      if (slot) slot.textContent = String(errors[name]);
      controls(form, name).forEach(function (el) {
        el.setAttribute('aria-invalid', 'true');
      });
    });
    return form.querySelector('[aria-invalid="true"]');
  }

  // Photos: the server enforces the limits; this only saves a slow upload that would fail.
  function checkFiles(form) {
    var errors = {};
    $$(form, 'input[type="file"][data-avisa-max-files]').forEach(function (input) {
      var files = Array.prototype.slice.call(input.files || []);
      var maxBytes = Number(input.getAttribute('data-avisa-max-bytes')) || Infinity;
      var tooLarge = files.some(function (file) {
        return file.size > maxBytes;
      });
      if (files.length > Number(input.getAttribute('data-avisa-max-files')) || tooLarge) {
        errors[input.name] = input.getAttribute('data-avisa-files-error') || '';
      }
    });
    return errors;
  }

  function onSubmit(event) {
    var form = event.target;
    if (!form.matches || !form.matches('form[data-avisa-form]')) return;
    event.preventDefault();
    if (form.getAttribute('aria-busy') === 'true') return;

    clearErrors(form);
    var fileErrors = checkFiles(form);
    if (Object.keys(fileErrors).length) {
      var field = showErrors(form, fileErrors);
      if (field) field.focus();
      return;
    }

    var button = form.querySelector('[type="submit"]');
    form.setAttribute('aria-busy', 'true');
    if (button) button.disabled = true;
    setStatus(form, form.getAttribute('data-avisa-sending'));

    fetch(form.getAttribute('action'), {
      method: 'POST',
      body: new FormData(form),
      headers: { Accept: 'application/json' },
      credentials: 'same-origin'
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (result) {
        setStatus(form, result && result.message);
        if (result && result.ok) {
          form.reset();
          return;
        }
        var first = showErrors(form, result && result.errors);
        if (first) first.focus();
      })
      .catch(function () {
        setStatus(form, form.getAttribute('data-avisa-network-error'));
      })
      .then(function () {
        form.removeAttribute('aria-busy');
        if (button) button.disabled = false;
      });
  }

  function onClick(event) {
    var link = event.target.closest && event.target.closest('a[data-avisa-page]');
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var list = link.closest('[data-avisa-review-list]') || document.getElementById('avisa-reviews');
    if (!list) return;
    event.preventDefault();
    // Hold the current height while the next page loads, so nothing below jumps.
    list.style.minHeight = list.offsetHeight + 'px';
    list.setAttribute('aria-busy', 'true');

    fetch(link.href + '&format=fragment', { headers: { Accept: 'text/html' }, credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var template = document.createElement('template');
        template.innerHTML = html;
        var fresh = template.content.querySelector('[data-avisa-review-list]');
        list.replaceChildren.apply(list, Array.prototype.slice.call((fresh || template.content).childNodes));
        list.removeAttribute('aria-busy');
        list.focus({ preventScroll: true });
        if (list.getBoundingClientRect().top < 0) list.scrollIntoView();
      })
      .catch(function () {
        window.location.href = link.href;
      });
  }

  // A review-request link (?avisa_review_token=...) pre-authorises the review form.
  function fillToken() {
    var token = new URLSearchParams(window.location.search).get('avisa_review_token');
    if (!token) return;
    $$(document, 'form[data-avisa-form] input[name="token"]').forEach(function (input) {
      if (!input.value) input.value = token;
    });
  }

  document.addEventListener('submit', onSubmit);
  document.addEventListener('click', onClick);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fillToken);
  else fillToken();
})();
