// The tip form's one script (served at /tip/form.js, same origin). The form works without it; with it,
// the browser solves the proof of work (ALTCHA v1: find n <= maxnumber with sha256(salt + n) = challenge)
// so the tip meets the lighter rate limit, and the 911 panel shows as soon as the danger box is checked.
// Lantern's own few lines: no third-party code, nothing sent anywhere but this site.
(function () {
  'use strict';
  const form = document.getElementById('tip-form');
  if (!form) return;

  const danger = form.querySelector('input[name="immediateDanger"]');
  const panel = document.getElementById('tip-danger-now');
  if (danger && panel) {
    const sync = () => {
      panel.hidden = !danger.checked;
    };
    danger.addEventListener('change', sync);
    sync();
  }

  const proof = form.querySelector('input[name="altcha"]');
  const note = document.getElementById('tip-proof-note');
  if (!proof || !window.crypto || !window.crypto.subtle || !window.fetch) return;

  const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
  const BATCH = 256;

  async function solve() {
    const response = await fetch('/api/public/tips/challenge', { credentials: 'omit', cache: 'no-store' });
    if (!response.ok) throw new Error(`challenge: ${response.status}`);
    const c = await response.json();
    const algorithm = c.algorithm || 'SHA-256';
    const encoder = new TextEncoder();
    for (let start = 0; start <= c.maxnumber; start += BATCH) {
      const numbers = [];
      for (let n = start; n < start + BATCH && n <= c.maxnumber; n++) numbers.push(n);
      const digests = await Promise.all(numbers.map((n) => window.crypto.subtle.digest(algorithm, encoder.encode(c.salt + n))));
      const found = digests.findIndex((d) => hex(d) === c.challenge);
      if (found >= 0) {
        const payload = { algorithm, challenge: c.challenge, number: numbers[found], salt: c.salt, signature: c.signature };
        return btoa(JSON.stringify(payload));
      }
    }
    throw new Error('challenge: no solution');
  }

  let solving = null;
  const start = () => {
    if (!solving) {
      if (note) note.textContent = form.dataset.checking || '';
      solving = solve().then(
        (payload) => {
          proof.value = payload;
          if (note) note.textContent = form.dataset.checked || '';
          return true;
        },
        // No proof: the tip still goes, under the stricter limit for browsers without a script.
        () => {
          if (note) note.textContent = '';
          return false;
        },
      );
    }
    return solving;
  };
  // Solved while the tipster writes, so sending does not wait.
  form.addEventListener('focusin', start, { once: true });
  form.addEventListener('input', start, { once: true });

  let sending = false;
  form.addEventListener('submit', (event) => {
    if (proof.value || sending) return;
    event.preventDefault();
    sending = true;
    const button = form.querySelector('button[type="submit"]');
    if (button) button.disabled = true;
    start().then(() => {
      if (button) button.disabled = false;
      form.submit();
    });
  });
})();
