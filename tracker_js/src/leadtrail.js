/*
 * Leadtrail tracker: remembers where a visitor came from and hands it to the forms they submit.
 * Promises: never throw into the host page, never block it, never overwrite a first touch.
 *
 * Size first: the build only fills in the config and strips whitespace and comments (rjsmin
 * does not rename), so names are short on purpose; the legend spells them out. No
 * dependencies, ES2017 syntax, no global but window.leadtrail. See tracker_js/ARCHITECTURE.md.
 *
 * A state is {first_touch, latest_touch, touch_history}; a touch is a plain object.
 *   w window        d document      L location      S JSON.stringify    K the storage keys
 *   me this <script>        cfg build-time config   form this server's /f/ URL prefix
 *   dom cookie domain       ok storage allowed      cap URL length cap
 *   mem page-life state     seen this page's views, [touch, isDirect]
 *   marks identity of the last URL's utm/click-id values
 *   safe(f) f that never throws     id(t) a touch's identity        touchOf(ref) the URL's touch
 *   get/put one storage key         load/save a state               state() the current state
 *   apply(s, t, direct) add a view to a state    record(t, direct) add it to mem and storage
 *   view(initial) a page view or SPA route change                   fields() the form fields
 */
(function (w, d, L, S, K) {
  try {
    // document.currentScript is only set while this file first runs: read it now.
    var me = d.currentScript,
      attr = n => me.getAttribute('data-' + n) || '',
      // Filled in by server/tracker/build.py: {"excluded": [...], "history": 10, "version": "..."}
      cfg = __LEADTRAIL_CONFIG__,
      form = new URL(me.src).origin + '/f/',
      dom = attr('cookie-domain').toLowerCase(),
      ok = attr('consent') != 'required',
      cap = dom ? 500 : 2000, // cookies travel with every request: keep their URLs short
      mem = {},
      seen = [],
      marks,
      now = () => new Date().toISOString(),
      safe = f => function () { try { return f.apply(this, arguments); } catch (e) {} },
      json = v => v ? S(v) : '',
      bare = h => h.replace(/^www\./, ''),
      // Two touches in a row with the same identity make one history entry.
      id = t => S([t.source, t.medium, t.campaign, t.click_id, (t.referrer || '').split('/')[2]]),

      // The touch of the current URL (and of the referrer, when given), or undefined if none.
      touchOf = ref => {
        var t = {}, q = {}, href = L.href, h, v;
        new URL(href).searchParams.forEach((v, k) => { q[k = k.toLowerCase()] = q[k] || v; });
        'source medium campaign term content'.split(' ').map(k =>
          (v = q['utm_' + k]) && (t[k] = v.slice(0, 255)));
        'gclid gbraid wbraid dclid msclkid fbclid li_fat_id ttclid twclid epik rdt_cid sccid yclid'
          .split(' ').some(k => (v = q[k]) && (t.click_id = v.slice(0, 255), t.click_id_param = k));
        // External: not this host (with or without www.), not under the cookie domain, not excluded.
        ref && bare(h = new URL(ref).hostname) != bare(L.hostname) &&
          ![dom].concat(cfg.excluded).some(x =>
            (x = x.replace(/^\./, '')) && ('.' + h).endsWith('.' + x)) &&
          (t.referrer = ref.slice(0, cap));
        // Returns from inside the loop when t has any key: a touch.
        for (v in t) return t.landing_page = href.slice(0, cap), t.at = now(), t;
      },

      // One storage key: a first-party cookie on the cookie domain, else localStorage.
      get = k => dom
        ? decodeURIComponent((d.cookie.match('(^|; )' + k + '=([^;]*)') || '')[2] || '')
        : localStorage[k],
      put = (k, v) => dom
        ? d.cookie = k + '=' + encodeURIComponent(v) + ';domain=' + dom + ';path=/;max-age=' +
          (v ? 34560000 : 0) + ';samesite=lax' + (L.protocol == 'https:' ? ';secure' : '')
        : v ? localStorage[k] = v : localStorage.removeItem(k),

      // The stored state, or undefined when storage is blocked or throws.
      load = (s = {}) => {
        try {
          K.map((k, v) => (v = get(k)) && (s[k.slice(3)] = JSON.parse(v)));
          return s;
        } catch (e) {}
      },

      save = s => {
        try {
          var v = [s.first_touch, s.latest_touch, [].concat(s.touch_history || [])];
          // Drop the oldest history entries until all lt_ cookies fit in about 3,500 bytes.
          while (dom && v[2][0] && encodeURIComponent(S(v)).length > 3500) v[2].shift();
          v.map((x, i) => x && put(K[i], S(x)));
        } catch (e) {}
      },

      // The current state: storage first (when allowed and readable), this page's memory second.
      state = (s = ok && load() || {}, k) => {
        for (k in mem) s[k] = s[k] || mem[k];
        return s;
      },

      apply = (s, t, direct, h = s.touch_history || []) => {
        s.first_touch = s.first_touch || t; // written once, never overwritten
        direct || (
          s.latest_touch = t,
          id(h[h.length - 1] || {}) != id(t) && h.push(t),
          s.touch_history = h.slice(-cfg.history));
        return s;
      },

      record = (t, direct) => {
        seen.push([t, direct]);
        mem = apply(state(), t, direct);
        ok && save(mem);
      },

      // A page view, or (initial falsy) an SPA route change: that is a touch only when the URL
      // brings new utm or click-id values; the referrer still names the page that loaded the app.
      view = safe(initial => {
        var t = touchOf(initial && d.referrer), m = id(touchOf() || {});
        initial ? record(t || {
          source: '(direct)', medium: '(none)', landing_page: L.href.slice(0, cap), at: now()
        }, !t) : t && m != marks && record(t);
        marks = m;
      }),

      fields = (s = state(), c = w.crypto) => ({
        lt_first_touch: json(s.first_touch),
        lt_latest_touch: json(s.latest_touch),
        lt_touch_history: S(s.touch_history || []),
        lt_page_url: L.href,
        lt_referrer: d.referrer,
        // randomUUID needs a secure context; plain-http pages get 128 random bits in hex.
        lt_submission_id: c.randomUUID ? c.randomUUID()
          : [...c.getRandomValues(new Uint32Array(4))].map(n => n.toString(16)).join('')
      }),

      queued = w.leadtrail;

    // One capture-phase listener sees every form, also those added later; it never blocks.
    d.addEventListener('submit', safe((e, f, v, k, input) => {
      f = e.target;
      if (f.hasAttribute('data-leadtrail') ||
          !new URL(f.getAttribute('action') || '', d.baseURI).href.indexOf(form)) {
        for (k in v = fields()) {
          (input = f.querySelector('input[name=' + k + ']')) ||
            (input = f.appendChild(d.createElement('input')), input.type = 'hidden', input.name = k);
          input.value = v[k];
        }
      }
    }), true);

    // SPA navigation: wrap the History API, and listen to the back and forward buttons.
    ['pushState', 'replaceState'].map((k, original) => {
      original = history[k];
      history[k] = function () {
        var result = original.apply(this, arguments);
        view();
        return result;
      };
    });
    w.addEventListener('popstate', () => view());

    w.leadtrail = {
      version: cfg.version,
      attribution: safe(() => fields()),
      consent: safe(granted => {
        if (!granted) {
          ok = 0;
          K.map(k => put(k, ''));
        } else if (!ok) {
          // Storage is allowed from now on: replay this page's views onto what is stored.
          ok = 1;
          mem = load() || {};
          seen.map(v => apply(mem, v[0], v[1]));
          save(mem);
        }
      })
    };
    view(1);
    // Calls made before this async script ran: window.leadtrail = {q: [["consent", [true]]]}.
    (queued && queued.q || []).map(safe(c => w.leadtrail[c[0]].apply(0, c[1])));
  } catch (e) {}
})(window, document, location, JSON.stringify, ['lt_first_touch', 'lt_latest_touch', 'lt_touch_history']);
