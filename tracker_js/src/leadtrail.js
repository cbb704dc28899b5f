/*
 * Leadtrail tracker: remembers where a visitor came from and hands it to the forms they submit.
 * Promises: never throw into the host page, never block it, never overwrite a first touch.
 *
 * Size first: the build only fills in the config and strips whitespace and comments (rjsmin
 * does not rename), so the names are minified by hand; the legend spells them out. No
 * dependencies, ES2017 syntax, no global but window.leadtrail. See tracker_js/ARCHITECTURE.md.
 *
 * Legend. A state is {first_touch, latest_touch, touch_history}; a touch is a plain object.
 *   w window, d document, L location, S JSON.stringify, K the three storage keys
 *   me this <script>   B(name) its data-name attribute   C build-time config
 *   F this server's form URL prefix (origin + "/f/")   D cookie domain ("": localStorage)
 *   ok storage allowed (consent)   N URL length cap
 *   M the page-life state (the only one when storage is blocked)
 *   V this page's views as [touch, isDirect]   R utm/click-id identity of the last URL
 *   G(f) f guarded, never throws   J(v) JSON or ""
 *   I(touch) identity for history   T(referrer) the touch of the current URL, or undefined
 *   X(key)/Y(key, value) read/write one storage key   O() load a state   P(state) save it
 *   Q() the current state   A(state, touch, isDirect) add a view to a state
 *   E(touch, isDirect) record a view   H(isPageLoad) a page view or an SPA route change
 *   U() the six form fields, as returned by window.leadtrail.attribution()
 *   Z(form) whether this script fills the form in
 */
(function (w, d, L, S, K) {
  try {
    // document.currentScript is only set while this file first runs: read it now.
    var me = d.currentScript,
      B = n => me.getAttribute('data-' + n) || '',
      // Filled in by server/tracker/build.py: {"excluded": [...], "history": 10, "version": "..."}
      C = __LEADTRAIL_CONFIG__,
      F = new URL(me.src).origin + '/f/',
      D = B('cookie-domain').replace(/^\./, ''), // a leading dot means nothing to browsers
      ok = B('consent') != 'required',
      N = D ? 500 : 2000, // cookies travel with every request: keep their URLs short
      M = {},
      V = [],
      R,
      G = f => (...a) => { try { return f(...a); } catch (e) {} },
      J = v => v ? S(v) : '',
      // Two touches in a row with the same identity make one history entry.
      I = t => S([t.source, t.medium, t.campaign, t.click_id, (t.referrer || '').split('/')[2]]),

      // The touch of the current URL (and of the referrer, when given), or undefined if none;
      // T(0, {source: '(direct)', ...}) completes a direct touch.
      T = (r, t = {}, q = {}, h, v) => {
        for (v of new URL(L).searchParams) q[h = v[0].toLowerCase()] = q[h] || v[1];
        'source medium campaign term content'.split(' ').map(k =>
          (v = q['utm_' + k]) && (t[k] = v.slice(0, 255)));
        'gclid gbraid wbraid dclid msclkid fbclid li_fat_id ttclid twclid epik rdt_cid sccid yclid'
          .split(' ').some(k => (v = q[k]) && (t.click_id = v.slice(0, 255), t.click_id_param = k));
        // External: not this host, not under the cookie domain, not an excluded domain.
        r && (h = new URL(r).hostname) != L.hostname &&
          ![D].concat(C.excluded).some(x => x && ('.' + h).endsWith('.' + x.toLowerCase())) &&
          (t.referrer = r.slice(0, N));
        // Returns from inside the loop when t has any key: a touch.
        for (v in t) return t.landing_page = L.href.slice(0, N), t.at = new Date().toISOString(), t;
      },

      // One storage key: a first-party cookie on the cookie domain, else localStorage.
      X = k => D
        ? decodeURIComponent((d.cookie.match('(^|; )' + k + '=([^;]*)') || '')[2] || '')
        : localStorage[k],
      Y = (k, v) => D
        ? d.cookie = k + '=' + encodeURIComponent(v) + ';domain=' + D + ';path=/;max-age=' +
          (v ? 34560000 : 0) + ';samesite=lax' + ';secure'.repeat(L.protocol == 'https:')
        : v ? localStorage[k] = v : localStorage.removeItem(k),

      // The stored state, or undefined when storage is blocked or throws.
      O = G((s = {}) => (K.map((k, v) => (v = X(k)) && (s[k.slice(3)] = JSON.parse(v))), s)),

      P = G(s => {
        s = [s.first_touch, s.latest_touch, s.touch_history.slice()];
        // Drop the oldest history entries until all lt_ cookies fit in about 3,500 bytes.
        while (D && s[2][0] && encodeURIComponent(S(s)).length > 3500) s[2].shift();
        s.map((v, i) => v && Y(K[i], S(v)));
      }),

      // The current state: storage first (when allowed and readable), this page's memory second.
      Q = () => Object.assign({}, M, ok && O()),

      A = (s, t, x, h = s.touch_history || []) => {
        s.first_touch = s.first_touch || t; // written once, never overwritten
        x || (s.latest_touch = t, I(h[h.length - 1] || {}) != I(t) && h.push(t));
        s.touch_history = h.slice(-C.history);
        return s;
      },

      E = (t, x) => {
        V.push([t, x]);
        M = A(Q(), t, x);
        ok && P(M);
      },

      // A page view, or (n falsy) an SPA route change: that is a touch only when the URL
      // brings new utm or click-id values; the referrer still names the page that loaded the app.
      H = G((n, t, m) => {
        t = T(n && d.referrer);
        m = I(T() || {});
        n ? E(t || T(0, {source: '(direct)', medium: '(none)'}), !t) : t && m != R && E(t);
        R = m;
      }),

      U = (s = Q(), c = w.crypto) => ({
        lt_first_touch: J(s.first_touch),
        lt_latest_touch: J(s.latest_touch),
        lt_touch_history: S(s.touch_history || []),
        lt_page_url: L.href,
        lt_referrer: d.referrer,
        // randomUUID needs a secure context; plain-http pages get 128 random bits in hex.
        lt_submission_id: c.randomUUID ? c.randomUUID()
          : [...c.getRandomValues(new Uint32Array(4))].map(n => n.toString(16)).join('')
      }),
      // f.action is the resolved URL (or, clobbered by a field named "action", no match).
      Z = f => f.hasAttribute('data-leadtrail') || !(f.action + '').indexOf(F),
      q = w.leadtrail;

    // One capture-phase listener sees every form, also those added later; it never blocks.
    d.addEventListener('submit', G((e, f, v, k, i) => {
      f = e.target;
      if (Z(f)) {
        for (k in v = U()) {
          (i = f[k]) ||
            (i = f.appendChild(d.createElement('input')), i.type = 'hidden', i.name = k);
          i.value = v[k];
        }
      }
    }), true);
    // form.submit() fires no submit event, but every submission (and new FormData(form)) builds
    // the form's data set: add the fields there when the submit listener has not.
    d.addEventListener('formdata', G((e, v, k) => {
      if (Z(e.target) && !e.formData.has('lt_submission_id')) {
        for (k in v = U()) e.formData.set(k, v[k]);
      }
    }), true);

    // SPA navigation: wrap the History API, and listen to the back and forward buttons.
    ['pushState', 'replaceState'].map((k, o) => {
      o = history[k];
      history[k] = function () {
        try {
          return o.apply(this, arguments);
        } finally {
          H();
        }
      };
    });
    addEventListener('popstate', () => H());

    w.leadtrail = {
      attribution: G(() => U()),
      consent: G(g => {
        if (!g) {
          ok = 0;
          K.map(k => Y(k, ''));
        } else if (!ok) {
          // Storage is allowed from now on: replay this page's views onto what is stored.
          ok = 1;
          M = {};
          V.splice(0).map(v => E(...v));
        }
      })
    };
    H(1);
    // Calls made before this async script ran: window.leadtrail = {q: [["consent", [true]]]}.
    (q && q.q || []).map(G(c => w.leadtrail[c[0]].apply(0, c[1])));
  } catch (e) {}
})(window, document, location, JSON.stringify, ['lt_first_touch', 'lt_latest_touch', 'lt_touch_history']);
