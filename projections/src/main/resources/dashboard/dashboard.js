// The ledger's dashboard: the programme for a finance token, one account for an affiliate token.
// Everything comes from the HTTP API of the same server (docs/http-api.md); the token is kept in
// this tab's sessionStorage only. Text from the ledger goes into the page as text, never as HTML.
(function () {
  'use strict';

  const TOKEN_KEY = 'ledger.token';
  const params = new URLSearchParams(window.location.search);
  const REFRESH_MS = Math.max(500, Number(params.get('refresh')) || 3000);
  const ROWS_SHOWN = 200;
  const $ = (id) => document.getElementById(id);

  // --- formatting (pure, tested by DashboardBrowserIntegrationTest)

  /** Integer cents as dollars: 123456 -> "$1,234.56", -150 -> "-$1.50". */
  function money(cents) {
    if (cents === null || cents === undefined) return '—';
    const abs = Math.abs(cents);
    const dollars = Math.trunc(abs / 100).toLocaleString('en-US');
    const rest = String(abs % 100).padStart(2, '0');
    return (cents < 0 ? '-$' : '$') + dollars + '.' + rest;
  }

  function count(n) {
    return n === null || n === undefined ? '—' : Number(n).toLocaleString('en-US');
  }

  /** An ISO-8601 instant as "2026-03-13 00:00 UTC". */
  function instant(iso) {
    return iso ? iso.slice(0, 10) + ' ' + iso.slice(11, 16) + ' UTC' : '—';
  }

  /** The first second of an income period ("2026-03-13" or "2026-03"), for the chart's x axis. */
  function periodStart(period) {
    const day = period.length === 7 ? period + '-01' : period;
    return Date.parse(day + 'T00:00:00Z') / 1000;
  }

  // --- the API

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function fetchOk(path, accept) {
    // Signed out while a refresh was under way: its remaining requests are not sent at all.
    if (!state.token) throw new ApiError(0, 'signed out');
    const response = await fetch(path, {
      headers: { Authorization: 'Bearer ' + state.token, Accept: accept || 'application/json' },
      cache: 'no-cache',
    });
    if (!response.ok) {
      let reason = 'HTTP ' + response.status;
      try {
        reason = (await response.json()).error || reason;
      } catch (ignored) {
        // not JSON: keep the status
      }
      throw new ApiError(response.status, reason);
    }
    return response;
  }

  async function api(path, accept) {
    const response = await fetchOk(path, accept);
    return accept ? response.blob() : response.json();
  }

  /** The next page's address from a Link header (RFC 8288), or null on the last page. */
  function nextPage(link) {
    const match = link && link.match(/<([^>]+)>\s*;\s*rel="next"/);
    return match ? match[1] : null;
  }

  /** Every row of a paged list, following its Link headers page by page. */
  async function apiAll(path) {
    let rows = [];
    for (let next = path; next; ) {
      const response = await fetchOk(next);
      rows = rows.concat(await response.json());
      next = nextPage(response.headers.get('Link'));
    }
    return rows;
  }

  const state = {
    token: sessionStorage.getItem(TOKEN_KEY),
    who: null,
    refreshes: 0,
    busy: false,
    timer: null,
    totals: [[], [], [], [], []],
    charts: {},
    affiliateBody: null,
    forceAffiliate: true,
    session: 0,
  };

  // --- rendering helpers

  function fill(list, body) {
    list.querySelectorAll('[data-field]').forEach((dd) => {
      const value = body[dd.dataset.field];
      dd.textContent =
        dd.dataset.kind === 'count' ? count(value) : dd.dataset.kind === 'date' ? instant(value) : money(value);
    });
  }

  const shownRows = new WeakMap();

  /**
   * Replaces the rows of {@code table}'s body: one row per item, cells as [text, numeric?, link?].
   * Rows that did not change are left alone (no flicker, a selection survives the refresh).
   */
  function rows(table, items, cells) {
    const body = table.tBodies[0];
    const wanted = items.map(cells);
    const signature = JSON.stringify(wanted);
    if (shownRows.get(body) === signature) return;
    shownRows.set(body, signature);
    const fresh = document.createDocumentFragment();
    wanted.forEach((row) => {
      const tr = document.createElement('tr');
      row.forEach(([text, numeric, href]) => {
        const td = document.createElement('td');
        if (href) {
          const a = document.createElement('a');
          a.href = href;
          a.textContent = text;
          td.appendChild(a);
        } else {
          td.textContent = text === null || text === undefined ? '' : String(text);
        }
        if (numeric) td.className = 'num';
        tr.appendChild(td);
      });
      fresh.appendChild(tr);
    });
    body.replaceChildren(fresh);
  }

  function chart(name, element, series, data) {
    const width = Math.max(300, element.clientWidth - 2);
    let plot = state.charts[name];
    if (!plot) {
      plot = new uPlot(
        {
          width: width,
          height: 220,
          series: [{}].concat(series),
          axes: [{}, { values: (u, ticks) => ticks.map((v) => '$' + v.toLocaleString('en-US')), size: 70 }],
        },
        data,
        element,
      );
      state.charts[name] = plot;
    } else {
      plot.setData(data);
    }
  }

  const MONEY_SERIES = [
    { label: 'pending', stroke: '#f79009' },
    { label: 'awaiting refresh', stroke: '#7a5af8' },
    { label: 'balances', stroke: '#12b76a' },
    { label: 'withdrawn', stroke: '#2e90fa' },
  ];

  // --- the finance view

  /** Adds a sample of the programme's totals at {@code ledgerTime} (a later sample replaces one at the same time). */
  function sample(series, ledgerTime, summary) {
    const x = Date.parse(ledgerTime) / 1000;
    const values = [summary.pendingCents, summary.awaitingRefreshCents, summary.balanceCents, summary.withdrawnCents];
    const last = series[0].length - 1;
    if (last >= 0 && series[0][last] >= x) {
      if (series[0][last] > x) series.forEach((s) => (s.length = 0)); // time went back: a new history
      else series.forEach((s) => s.pop());
    }
    series[0].push(x);
    values.forEach((v, i) => series[i + 1].push(v / 100));
    return series;
  }

  async function showFinance() {
    const sort = $('rank-by').value;
    const [summary, rejections, ranking, reconciliation, batches] = await Promise.all([
      api('/finance/summary'),
      api('/finance/rejections?limit=1'),
      api('/finance/affiliates?limit=20&sort=' + sort),
      api('/finance/reconciliation'),
      api('/finance/payout-batches'),
    ]);
    $('reconciliation').textContent = reconciliation.reconciled
      ? 'reconciled'
      : count(reconciliation.differenceCount) + ' differences';
    $('ledger-time').textContent = 'ledger time ' + instant(summary.ledgerTime);
    fill($('totals'), summary);
    sample(state.totals, summary.ledgerTime, summary);
    chart('totals', $('totals-chart'), MONEY_SERIES, state.totals);
    rows($('withdrawal-statuses'), ['Accepted', 'Paid', 'Failed', 'Rejected'], (status) => [
      [status.toUpperCase()],
      [count(summary['withdrawals' + status]), true],
    ]);
    const reasons = Object.entries(rejections.counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    rows($('rejection-reasons'), reasons.length ? reasons : [['none', 0]], ([reason, n]) => [[reason], [count(n), true]]);
    rows($('payout-batches'), batches.slice(0, 10), (b) => [
      [b.batchId],
      [instant(b.createdAt)],
      [count(b.withdrawals), true],
      [money(b.payoutCents), true],
      [count(b.statuses.ACCEPTED || 0), true],
      [count(b.statuses.PAID || 0), true],
      [count(b.statuses.FAILED || 0), true],
    ]);
    rows($('ranking'), ranking, (a) => [
      [a.affiliateId, false, '#/affiliates/' + encodeURIComponent(a.affiliateId)],
      [money(a.pendingCents), true],
      [money(a.awaitingRefreshCents), true],
      [money(a.balanceCents), true],
      [money(a.withdrawnCents), true],
      [money(a.earnedCents), true],
      [instant(a.nextRefreshAt)],
    ]);
  }

  // --- the affiliate view

  function orderQuery() {
    const query = new URLSearchParams();
    new FormData($('order-filters')).forEach((value, key) => {
      if (value !== '' && !(key === 'dateType' && value === 'order')) query.set(key, value);
    });
    return query;
  }

  async function showAffiliate(id) {
    const base = '/affiliates/' + encodeURIComponent(id);
    $('affiliate-title').textContent = id;
    const clock = state.who.role === 'finance' ? await api('/finance/summary') : null;
    if (clock) $('ledger-time').textContent = 'ledger time ' + instant(clock.ledgerTime);
    let balance;
    try {
      balance = await api(base + '/balance');
    } catch (e) {
      if (e.status !== 404) throw e;
      balance = null;
    }
    $('affiliate-error').textContent = balance ? '' : id + ' has no account yet';
    fill($('balance'), balance || {});
    if (!balance) return;
    if (!clock) $('ledger-time').textContent = 'balance as of ' + instant(balance.lastEntryAt);
    const changed = JSON.stringify(balance) !== state.affiliateBody;
    if (!changed && !state.forceAffiliate && state.refreshes % 5 !== 0) return;
    state.affiliateBody = JSON.stringify(balance);
    state.forceAffiliate = false;
    const [income, traffic, orders, withdrawals, journal] = await Promise.all([
      api(base + '/income?granularity=' + $('granularity').value),
      api(base + '/traffic?groupBy=' + $('group-by').value),
      apiAll(base + '/orders?limit=10000&' + orderQuery()),
      apiAll(base + '/withdrawals?limit=10000'),
      apiAll(base + '/journal?limit=10000'),
    ]);
    chart('income', $('income-chart'), [
      { label: 'accrued', stroke: '#f79009', points: { show: true } },
      { label: 'posted', stroke: '#12b76a', points: { show: true } },
      { label: 'reversed', stroke: '#f04438', points: { show: true } },
    ], [
      income.map((row) => periodStart(row.period)),
      income.map((row) => row.accruedCents / 100),
      income.map((row) => row.postedCents / 100),
      income.map((row) => row.reversedCents / 100),
    ]);
    rows($('traffic'), traffic, (t) => [
      [t.group], [count(t.clicks), true], [count(t.orders), true],
      [(t.conversion * 100).toFixed(2) + '%', true], [money(t.commissionCents), true],
    ]);
    const newest = orders.slice(-ROWS_SHOWN).reverse();
    $('orders-count').textContent =
      count(orders.length) + ' orders' + (orders.length > ROWS_SHOWN ? ', the newest ' + ROWS_SHOWN + ' shown' : '');
    rows($('orders'), newest, (o) => [
      [o.orderId], [instant(o.orderDate)], [instant(o.transactionDate)], [o.status], [o.trackingId],
      [o.promotionType], [money(o.orderAmountCents), true], [money(o.commissionCents), true],
    ]);
    rows($('withdrawals'), withdrawals, (w) => [
      [w.withdrawalId], [w.status], [money(w.amountCents), true], [money(w.feeCents), true],
      [money(w.payoutCents), true], [[w.reason, w.message].filter(Boolean).join(': ')], [instant(w.decidedAt)],
      [w.batchId || '—'], [instant(w.paidAt)],
    ]);
    $('journal-count').textContent =
      '(' + count(journal.length) + ' entries' + (journal.length > ROWS_SHOWN ? ', the newest ' + ROWS_SHOWN + ' shown' : '') + ')';
    rows($('journal'), journal.slice(-ROWS_SHOWN).reverse(), (e) => [
      [instant(e.effectiveAt)], [e.kind], [e.orderId || e.withdrawalId],
      [e.legs.map((leg) => leg.account + ' ' + money(leg.amountCents)).join(', ')],
    ]);
  }

  async function downloadOrders() {
    const id = currentAffiliate();
    const query = orderQuery();
    query.set('format', 'csv');
    const blob = await api('/affiliates/' + encodeURIComponent(id) + '/orders?' + query, 'text/csv');
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'orders-' + id + '.csv';
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  // --- navigation and the refresh loop

  /** The affiliate to show: an affiliate token's own; for finance the one in the address, if any. */
  function currentAffiliate() {
    if (state.who.role === 'affiliate') return state.who.affiliateId;
    const match = window.location.hash.match(/^#\/affiliates\/(.+)$/);
    return match ? decodeURIComponent(match[1]) : null;
  }

  function status(text, bad) {
    $('status').textContent = text;
    $('status').className = bad ? 'bad' : '';
  }

  async function refresh() {
    if (state.busy || !state.who) return;
    state.busy = true;
    const session = state.session;
    try {
      const id = currentAffiliate();
      $('finance').hidden = id !== null;
      $('affiliate').hidden = id === null;
      if (id === null) await showFinance();
      else await showAffiliate(id);
      state.refreshes += 1;
      document.body.dataset.refreshes = String(state.refreshes);
      status('updated ' + new Date().toLocaleTimeString('en-GB'));
    } catch (e) {
      if (session !== state.session) return; // a refresh of a session that has ended
      if (e.status === 401) return signOut('the token is no longer known: ' + e.message);
      status(e.message, true);
    } finally {
      state.busy = false;
    }
  }

  function schedule() {
    clearTimeout(state.timer);
    state.timer = setTimeout(async () => {
      await refresh();
      if (state.who) schedule();
    }, REFRESH_MS);
  }

  async function signIn(token) {
    state.session += 1;
    state.token = token;
    try {
      const who = await api('/whoami');
      if (who.role !== 'finance' && who.role !== 'affiliate') {
        return signOut('a ' + who.role + ' token cannot read the ledger: use a finance or an affiliate token');
      }
      sessionStorage.setItem(TOKEN_KEY, token);
      state.who = who;
      $('login').hidden = true;
      $('sign-out').hidden = false;
      $('back').hidden = who.role !== 'finance';
      await refresh();
      schedule();
    } catch (e) {
      signOut(e.status === 401 ? 'unknown token' : e.message);
    }
  }

  function signOut(reason) {
    state.session += 1;
    clearTimeout(state.timer);
    sessionStorage.removeItem(TOKEN_KEY);
    Object.assign(state, { token: null, who: null, refreshes: 0, affiliateBody: null, forceAffiliate: true });
    state.totals = [[], [], [], [], []];
    Object.values(state.charts).forEach((plot) => plot.destroy());
    state.charts = {};
    $('finance').hidden = true;
    $('affiliate').hidden = true;
    $('sign-out').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = reason || '';
    $('token').value = '';
    status('');
  }

  function again() {
    state.forceAffiliate = true;
    refresh();
  }

  $('login').addEventListener('submit', (event) => {
    event.preventDefault();
    signIn($('token').value.trim());
  });
  $('sign-out').addEventListener('click', () => signOut(''));
  $('open-affiliate').addEventListener('submit', (event) => {
    event.preventDefault();
    window.location.hash = '#/affiliates/' + encodeURIComponent($('affiliate-id').value.trim());
  });
  $('order-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    again();
  });
  $('orders-csv').addEventListener('click', () => downloadOrders().catch((e) => status(e.message, true)));
  ['rank-by', 'granularity', 'group-by'].forEach((id) => $(id).addEventListener('change', again));
  window.addEventListener('hashchange', again);

  window.Dashboard = { money, count, instant, periodStart, sample, nextPage };

  // A link may carry the token in its fragment (never sent to a server): taken, then removed.
  const given = window.location.hash.match(/^#token=(.+)$/);
  if (given) {
    state.token = decodeURIComponent(given[1]);
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  if (state.token) signIn(state.token);
  else signOut('');
})();
