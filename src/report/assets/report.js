// kfrun report.html: sortable tables, graph → step navigation, expand/collapse all.
// Vanilla JS, no dependencies; allowed to run by the page's CSP (script-src with this file's hash).
(function () {
  'use strict';

  // Sortable tables: click a header to sort by that column; again to reverse.
  function cellValue(row, column) {
    var cell = row.cells[column];
    return cell ? cell.textContent.trim() : '';
  }
  function compareCells(a, b) {
    var x = parseFloat(a);
    var y = parseFloat(b);
    var numeric = a !== '' && b !== '' && !isNaN(x) && !isNaN(y) && isFinite(a) && isFinite(b);
    if (numeric) {
      return x - y;
    }
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
  }
  function makeSortable(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (header, column) {
      header.setAttribute('tabindex', '0');
      header.setAttribute('title', 'Sort by this column');
      function sort() {
        var body = table.tBodies[0];
        if (!body) {
          return;
        }
        var descending = header.getAttribute('aria-sort') === 'ascending';
        Array.prototype.forEach.call(headers, function (other) {
          other.removeAttribute('aria-sort');
        });
        header.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var order = compareCells(cellValue(r1, column), cellValue(r2, column));
          return descending ? -order : order;
        });
        rows.forEach(function (row) {
          body.appendChild(row);
        });
      }
      header.addEventListener('click', sort);
      header.addEventListener('keydown', function (event) {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          sort();
        }
      });
    });
    table.setAttribute('data-sortable', 'ready');
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), makeSortable);

  // Opening a step: from the graph, the timeline, links and the URL's #step-N.
  function selectGraphNode(anchor) {
    Array.prototype.forEach.call(document.querySelectorAll('.dag .dag-step.selected'), function (node) {
      node.classList.remove('selected');
    });
    var node = document.getElementById('dag-' + anchor);
    if (node) {
      node.classList.add('selected');
    }
  }
  function openTarget(id, scroll) {
    var target = document.getElementById(id);
    if (!target) {
      return false;
    }
    for (var element = target; element; element = element.parentElement) {
      if (element.tagName === 'DETAILS') {
        element.open = true;
      }
    }
    if (target.classList.contains('step')) {
      Array.prototype.forEach.call(document.querySelectorAll('details.step.highlight'), function (step) {
        step.classList.remove('highlight');
      });
      target.classList.add('highlight');
      selectGraphNode(id);
    }
    if (scroll) {
      target.scrollIntoView({ block: 'start' });
    }
    return true;
  }
  document.addEventListener('click', function (event) {
    var link = event.target.closest ? event.target.closest('a') : null;
    if (!link) {
      return;
    }
    var href = link.getAttribute('href') || link.getAttributeNS('http://www.w3.org/1999/xlink', 'href') || '';
    if (href.charAt(0) !== '#' || href.length < 2) {
      return;
    }
    if (openTarget(href.slice(1), true)) {
      event.preventDefault();
      if (history.replaceState) {
        history.replaceState(null, '', href);
      }
    }
  });
  window.addEventListener('hashchange', function () {
    openTarget(location.hash.slice(1), true);
  });
  if (location.hash.length > 1) {
    openTarget(location.hash.slice(1), true);
  }

  // Expand / collapse every step.
  Array.prototype.forEach.call(document.querySelectorAll('[data-action]'), function (button) {
    button.addEventListener('click', function () {
      var open = button.getAttribute('data-action') === 'expand';
      Array.prototype.forEach.call(document.querySelectorAll('details.step'), function (step) {
        step.open = open;
      });
    });
  });

  // The embedded run data, for anyone scripting against a saved report.
  var data = document.getElementById('kfrun-data');
  if (data) {
    try {
      window.kfrunReport = JSON.parse(data.textContent);
    } catch (error) {
      window.kfrunReport = null;
    }
  }
  document.body.setAttribute('data-js', 'ready');
})();
