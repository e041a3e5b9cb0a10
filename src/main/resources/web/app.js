// Small helpers of the secretariat's page; every page also works without them.
(function () {
  'use strict';

  // A form sent back with errors: the summary takes the focus, so its list is read first; each of its
  // links puts the focus in the field it names (a fieldset: its first control).
  function errorSummary() {
    var summary = document.querySelector('.resume-erreurs');
    var field = document.querySelector('[aria-invalid="true"]');
    if (summary) { summary.focus(); } else if (field) { field.focus(); }
    if (!summary) { return; }
    summary.addEventListener('click', function (event) {
      var link = event.target.closest('a[href^="#"]');
      var target = link && document.getElementById(link.getAttribute('href').substring(1));
      if (!target) { return; }
      var control = target.matches('input, select, textarea, button') ? target
        : target.querySelector('input:not([type="hidden"]), select, textarea, button');
      if (!control) { return; }
      event.preventDefault();
      var label = document.querySelector('label[for="' + control.id + '"]');
      (target.querySelector('legend') || label || control).scrollIntoView();
      control.focus({ preventScroll: true });
    });
  }

  function debounce(fn, ms) {
    var t;
    return function () { clearTimeout(t); t = setTimeout(fn, ms); };
  }

  // Live number and objet help, computed by the server with the same rules as the transmission.
  function livePreview() {
    var numero = document.getElementById('numero');
    var objet = document.getElementById('objet');
    if (!numero || !objet) { return; }
    var numeroOut = document.getElementById('numero-normalise');
    var compteur = document.getElementById('objet-compteur');
    var translit = document.getElementById('objet-translit');
    var update = debounce(function () {
      var q = 'numero=' + encodeURIComponent(numero.value) + '&objet=' + encodeURIComponent(objet.value);
      fetch('/apercu?' + q, { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (d) {
          if (!d) { return; }
          if (numero.value.trim() === '') {
            numeroOut.textContent = '';
          } else if (d.numeroValide) {
            numeroOut.textContent = 'Numéro transmis : ' + d.numero;
          } else {
            numeroOut.textContent = 'Numéro transmis : ' + (d.numero || '(vide)') + ' – non accepté : 15 caractères au plus, lettres, chiffres et _.';
          }
          compteur.textContent = d.objetLongueur + ' / ' + d.objetMax + ' caractères'
            + (d.objetLongueur > d.objetMax ? ' : trop long de ' + (d.objetLongueur - d.objetMax) + ' caractères.' : '');
          translit.textContent = d.remplacements.length === 0 ? ''
            : 'Ces caractères seront remplacés à l\u2019envoi : ' + d.remplacements.join(', ') + '.';
        })
        .catch(function () { /* the form still works without the preview */ });
    }, 250);
    numero.addEventListener('input', update);
    objet.addEventListener('input', update);
    update();
  }

  // Typology selects show only the codes the chosen nature allows, and take the nature's generic code
  // (data-typologie of its option: 99_DC for a contract) unless the secretary chose another that the
  // nature allows. Never the first code of the list: a wrong typology sent is a number lost.
  function typologies() {
    var data = document.getElementById('catalogue-typologies');
    var nature = document.getElementById('nature');
    if (!data || !nature) { return; }
    var catalogue = JSON.parse(data.textContent);
    function generic() {
      var o = nature.options[nature.selectedIndex];
      return (o && o.getAttribute('data-typologie')) || '';
    }
    function option(select, value, label) {
      var o = document.createElement('option');
      o.value = value;
      o.textContent = label;
      select.appendChild(o);
    }
    // A choice made by the secretary: picked in the list, or shown again with the form's errors.
    function watch(select) {
      if (select.value && select.value !== generic()) { select.setAttribute('data-choisie', select.value); }
      select.addEventListener('change', function () { select.setAttribute('data-choisie', select.value); });
    }
    function fill(select) {
      var codes = catalogue[nature.value] || {};
      var wanted = select.getAttribute('data-choisie');
      if (!wanted || !Object.prototype.hasOwnProperty.call(codes, wanted)) { wanted = generic(); }
      while (select.firstChild) { select.removeChild(select.firstChild); }
      if (!nature.value) {
        option(select, '', '— selon la nature choisie —');
      } else if (!Object.prototype.hasOwnProperty.call(codes, wanted)) {
        option(select, wanted, wanted);
      }
      Object.keys(codes).forEach(function (code) { option(select, code, code + ' – ' + codes[code]); });
      select.value = nature.value ? wanted : '';
    }
    document.querySelectorAll('select.typologie').forEach(watch);
    nature.addEventListener('change', function () {
      document.querySelectorAll('select.typologie').forEach(fill);
    });
    // A new annex starts on the nature's generic code, whatever the annex it was copied from.
    return function (select) {
      select.removeAttribute('data-choisie');
      fill(select);
      watch(select);
    };
  }

  function annexes(fill) {
    var button = document.getElementById('ajouter-annexe');
    var box = document.getElementById('annexes');
    if (!button || !box) { return; }
    button.hidden = false;
    button.addEventListener('click', function () {
      var slots = box.querySelectorAll('.annexe');
      var last = slots[slots.length - 1];
      var n = slots.length + 1;
      if (n > 20) { button.disabled = true; return; }
      var copy = last.cloneNode(true);
      copy.setAttribute('data-annexe', String(n));
      copy.querySelectorAll('[id],[for],[name],[aria-describedby]').forEach(function (el) {
        ['id', 'for', 'name', 'aria-describedby'].forEach(function (a) {
          var v = el.getAttribute(a);
          if (v) { el.setAttribute(a, v.replace(/annexe_\d+/g, 'annexe_' + n)); }
        });
      });
      copy.querySelectorAll('label').forEach(function (l) { l.textContent = l.textContent.replace(/\d+/, String(n)); });
      copy.querySelectorAll('.erreur, .avertissement').forEach(function (p) { p.remove(); });
      copy.querySelectorAll('[aria-invalid]').forEach(function (el) { el.removeAttribute('aria-invalid'); });
      var file = copy.querySelector('input[type="file"]');
      file.value = '';
      box.appendChild(copy);
      if (fill) { fill(copy.querySelector('select.typologie')); }
      file.focus();
    });
  }

  // The table of actes refreshes itself; the fiche of a pending acte reloads. Both can be paused (WCAG
  // 2.2.2), for this tab, by a button they add; a change of the table is announced, not every round.
  var PAUSED = 'actes-actualisation-suspendue';

  function paused() {
    try { return window.sessionStorage.getItem(PAUSED) === 'oui'; } catch (e) { return false; }
  }

  function pauseControl(text, parent, before, onChange) {
    var box = document.createElement('div');
    box.className = 'actualisation';
    if (text) {
      var p = document.createElement('p');
      p.className = 'aide';
      p.textContent = text;
      box.appendChild(p);
    }
    var button = document.createElement('button');
    button.type = 'button';
    button.id = 'suspendre-actualisation';
    function show() {
      button.textContent = paused() ? 'Reprendre l\u2019actualisation automatique' : 'Suspendre l\u2019actualisation automatique';
    }
    button.addEventListener('click', function () {
      try { window.sessionStorage.setItem(PAUSED, paused() ? 'non' : 'oui'); } catch (e) { /* kept for this page only */ }
      show();
      onChange();
    });
    show();
    box.appendChild(button);
    parent.insertBefore(box, before);
    return box;
  }

  function refresh() {
    var table = document.getElementById('actes');
    if (table) {
      var seconds = parseInt(table.getAttribute('data-actualisation'), 10) || 30;
      var status = document.createElement('p');
      status.id = 'actualisation-etat';
      status.className = 'aide';
      status.setAttribute('role', 'status');
      pauseControl('', table.parentNode, table, function () {}).appendChild(status);
      setInterval(function () {
        if (paused()) { return; }
        fetch(table.getAttribute('data-lignes'), { credentials: 'same-origin' })
          .then(function (r) {
            // The session ended (the refresh does not keep it alive): the page itself leads to the sign-in.
            if (r.status === 401) { window.location.reload(); return null; }
            return r.ok ? r.text() : null;
          })
          .then(function (html) {
            if (html === null) { return; }
            var body = table.tBodies[0];
            var fresh = document.createElement('tbody');
            fresh.innerHTML = html;
            if (fresh.textContent === body.textContent) { return; }
            var focused = body.contains(document.activeElement) ? document.activeElement.getAttribute('href') : null;
            body.innerHTML = html;
            var again = focused && body.querySelector('a[href="' + focused + '"]');
            if (again) { again.focus(); }
            status.textContent = 'Tableau actualisé à ' + new Date().toLocaleTimeString('fr-FR',
              { hour: '2-digit', minute: '2-digit' }) + '.';
          })
          .catch(function () { /* next round */ });
      }, seconds * 1000);
    }
    var main = document.getElementById('contenu');
    var reload = main && parseInt(main.getAttribute('data-recharger'), 10);
    if (reload) {
      // Never reload under a form being filled in.
      var edited = false;
      var timer = null;
      main.addEventListener('input', function () { edited = true; });
      main.addEventListener('change', function () { edited = true; });
      var plan = function () {
        clearTimeout(timer);
        if (!paused()) { timer = setTimeout(function () {
          if (edited) { return; }
          // Marked as a reload: it does not keep the session alive.
          var url = new URL(window.location.href);
          url.searchParams.set('actualisation', 'auto');
          window.location.replace(url.toString());
        }, reload * 1000); }
      };
      var title = main.querySelector('h1');
      pauseControl('Tant que l\u2019acte est en cours de transmission, cette page se recharge toute seule toutes les '
        + reload + ' secondes.', main, title ? title.nextSibling : main.firstChild, plan);
      plan();
    }
  }

  // The files of a 3-4 are offered only while "Envoi des pièces complémentaires" is chosen.
  function answerPieces() {
    document.querySelectorAll('fieldset[data-genre]').forEach(function (box) {
      var form = box.form || box.closest('form');
      if (!form) { return; }
      function update() {
        var chosen = form.querySelector('input[name="genre"]:checked');
        box.hidden = !chosen || chosen.value !== box.getAttribute('data-genre');
      }
      form.querySelectorAll('input[name="genre"]').forEach(function (r) { r.addEventListener('change', update); });
      update();
    });
  }

  // A second click does not send a form twice (the server would not post twice either).
  function oneSubmit() {
    document.querySelectorAll('form[method="post"]').forEach(function (form) {
      form.addEventListener('submit', function () {
        form.querySelectorAll('button[type="submit"]').forEach(function (b) {
          setTimeout(function () { b.disabled = true; }, 0);
        });
      });
    });
    window.addEventListener('pageshow', function () {
      document.querySelectorAll('button[type="submit"]').forEach(function (b) { b.disabled = false; });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    errorSummary();
    livePreview();
    annexes(typologies());
    answerPieces();
    oneSubmit();
    refresh();
  });
})();
