/*
 * The installer page (docs/http.md): the station's live status from the
 * WebSocket /api/live (one status object per message), or, when that socket
 * cannot be opened, from GET /api/status once a second; a panel and a chart
 * per socket; the configuration from GET /api/config, changed with
 * PUT /api/config/KEY.  Plain script, no build step, no library: the files in
 * this directory are served as they are.
 *
 * The browser sends the page's Basic credentials (user "installer") with
 * every same-origin request, the WebSocket upgrade included, so the script
 * never handles a password itself.
 */
'use strict';

(function () {
	const WINDOW_MS = 10 * 60 * 1000;	/* the chart's span, on the station's clock */
	const POLL_MS = 1000;			/* /api/status while the socket is down */
	const RETRY_LIVE_MS = 5000;		/* then try /api/live again this often */
	const STALE_MS = 5000;			/* no status for this long: say so */
	const MAX_SAMPLES = 1200;		/* per socket, whatever the update rate */

	/* The binding limit in words: the names of README "Control socket" and
	 * docs/limits.md (the limit stack). */
	const BINDING_TEXT = {
		profile: 'limited by a charging profile (TxProfile / TxDefaultProfile / ChargePointMaxProfile)',
		balancing: 'limited by its share of the load-balancing budget',
		alb: "limited by the grid meter's budget (active load balancing)",
		ems: "limited by the energy management system's setpoint",
		safe: 'limited to Safe-MaxCurrent: live grid data is missing',
		scn: "limited by its share of the Smart Charging Network's budget",
		station: 'limited by the station maximum (Station-MaxCurrent)',
		connector: "limited by the socket's own maximum (ConnectorN-MaxCurrent)",
		cable: "limited by the cable's capacity (proximity pilot)",
		ev: "limited by the EV's own maximum",
		fault: 'stopped by a fault',
		suspend: 'paused by the external suspend signal',
		none: 'no limit applies',
	};

	const BALANCING_TEXT = {
		off: 'off (no session)',
		share: 'share of the budget',
		reduced: 'reduced to what the EV draws',
		probing: 'probing',
		alternating: 'paused for its turn',
		budget: 'paused: budget below 6 A',
		limited: 'below its minimum',
	};

	/* OCPP 1.6 Security Whitepaper (edition 3), the security profiles. */
	const PROFILE_TEXT = {
		0: '0 (no security)',
		1: '1 (Basic authentication)',
		2: '2 (TLS, Basic authentication)',
		3: '3 (TLS, client certificate)',
	};

	const SOURCE_TEXT = {
		p1: 'DSMR P1 meter',
		modbus: 'Modbus TCP meter',
		none: 'no meter',
		off: 'off',
	};

	const PHASE_COLORS = ['#b45309', '#1d4ed8', '#047857'];
	const SVG_NS = 'http://www.w3.org/2000/svg';

	const $ = (sel, root) => (root || document).querySelector(sel);
	const samples = new Map();	/* connector id -> [{t, off, imp: [3]}] */
	let live = null;
	let pollTimer = null;
	let pollBusy = false;
	let retryTimer = null;
	let lastData = 0;
	let feed = '';

	/* ---- text helpers ---------------------------------------------------- */

	function setText(el, text) {
		if (el && el.textContent !== text)
			el.textContent = text;
	}

	function num(v) {
		return typeof v === 'number' && isFinite(v) ? String(v) : '–';
	}

	function amps3(a) {
		return Array.isArray(a) ? a.map(num).join(' / ') + ' A' : '–';
	}

	/* The station's clock (UTC on the wire) in the browser's time zone. */
	function clock(iso) {
		const d = new Date(iso);
		const p = function (n) { return String(n).padStart(2, '0'); };
		if (isNaN(d))
			return '–';
		return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + ' ' +
			p(d.getHours()) + ':' + p(d.getMinutes()) + ':' + p(d.getSeconds());
	}

	/* A <dl> from [[term, value, tone], ...]; tone marks a value "ok" / "warn" / "bad". */
	function fillFacts(dl, rows) {
		const frag = document.createDocumentFragment();
		for (const [term, value, tone] of rows) {
			const div = document.createElement('div');
			const dt = document.createElement('dt');
			const dd = document.createElement('dd');
			dt.textContent = term;
			dd.textContent = value;
			if (tone)
				dd.className = 'tone-' + tone;
			div.append(dt, dd);
			frag.append(div);
		}
		dl.replaceChildren(frag);
	}

	/* ---- the data feed: /api/live, or /api/status every second ----------- */

	function setFeed(state, text) {
		document.body.dataset.feed = state;
		if (feed !== text) {
			feed = text;
			setText($('#feed'), text);
		}
	}

	function apiUrl(path) {
		return new URL(path, location.href);
	}

	function openLive() {
		const url = apiUrl('api/live');
		url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
		try {
			live = new WebSocket(url.href);
		} catch (e) {
			live = null;
			startPolling();
			return;
		}
		live.onopen = function () {
			stopPolling();
			setFeed('live', 'live (WebSocket)');
		};
		live.onmessage = function (ev) {
			let st;
			try {
				st = JSON.parse(ev.data);
			} catch (e) {
				return;
			}
			render(st);
		};
		live.onclose = function () {
			live = null;
			startPolling();
		};
	}

	function startPolling() {
		if (!pollTimer) {
			setFeed('polling', 'polling /api/status every second');
			poll();
			pollTimer = setInterval(poll, POLL_MS);
		}
		if (!retryTimer) {
			retryTimer = setTimeout(function () {
				retryTimer = null;
				if (!live)
					openLive();
			}, RETRY_LIVE_MS);
		}
	}

	function stopPolling() {
		clearInterval(pollTimer);
		pollTimer = null;
	}

	async function poll() {
		if (pollBusy)
			return;
		pollBusy = true;
		try {
			const r = await fetch(apiUrl('api/status'), { cache: 'no-store' });
			if (r.ok)
				render(await r.json());
		} catch (e) {
			/* the watchdog below reports the silence */
		} finally {
			pollBusy = false;
		}
	}

	setInterval(function () {
		if (lastData && Date.now() - lastData > STALE_MS)
			setFeed('stale', 'no data since ' + new Date(lastData).toLocaleTimeString());
		else if (!lastData && !live && !pollTimer)
			setFeed('stale', 'no data');
	}, 1000);

	/* ---- rendering -------------------------------------------------------- */

	function render(st) {
		if (!st || !Array.isArray(st.connectors))
			return;
		lastData = Date.now();
		if (document.body.dataset.feed === 'stale')
			setFeed(live && live.readyState === WebSocket.OPEN ? 'live' : 'polling',
				live && live.readyState === WebSocket.OPEN ? 'live (WebSocket)' : 'polling /api/status every second');
		renderStation(st);
		renderGrid(st.grid);
		renderScn(st.scn);
		const t = Date.parse(st.now) || Date.now();
		for (const c of st.connectors) {
			if (c.id < 1)
				continue;
			renderSocket(c);
			record(c, t);
			drawChart(c.id);
		}
	}

	function renderStation(st) {
		const set = function (name, text, tone) {
			const el = $('[data-station="' + name + '"]');
			setText(el, text);
			el.className = tone ? 'tone-' + tone : '';
		};
		set('online', st.online ? 'online' : 'offline', st.online ? 'ok' : 'bad');
		set('boot', st.boot || '–', st.boot === 'Accepted' ? 'ok' : 'warn');
		set('security_profile', st.security_profile === undefined ? '–' : PROFILE_TEXT[st.security_profile] || String(st.security_profile));
		set('now', st.now ? clock(st.now) : '–');
		set('queued_tx_messages', num(st.queued_tx_messages), st.queued_tx_messages > 0 ? 'warn' : '');
		set('storage_fault', st.storage_fault ? 'fault (messages kept in memory)' : 'ok', st.storage_fault ? 'bad' : 'ok');
	}

	function renderGrid(g) {
		const box = $('#grid');
		if (!g || (g.source === 'off' && !g.ems)) {
			box.hidden = true;
			return;
		}
		box.hidden = false;
		const rows = [['Source', SOURCE_TEXT[g.source] || g.source]];
		if (g.source !== 'off') {
			rows.push(['Mode', g.mode === 'safe' ? 'safe (Safe-MaxCurrent)' : g.mode || '–', g.mode === 'safe' ? 'warn' : 'ok']);
			rows.push(['Budget L1 / L2 / L3', amps3(g.budget_a)]);
			rows.push(['Meter reading', g.reading_a ? amps3(g.reading_a) : 'none yet', g.reading_a ? '' : 'warn']);
			if (g.other_load_a)
				rows.push(['Other load', amps3(g.other_load_a)]);
			if (typeof g.age_ms === 'number')
				rows.push(['Reading age', (g.age_ms / 1000).toFixed(1) + ' s']);
		}
		if (g.source === 'p1') {
			rows.push(['P1 device', (g.device || '–') + (g.device_open === false ? ' (closed)' : ''), g.device_open === false ? 'bad' : '']);
			rows.push(['Telegrams OK / CRC errors', num(g.telegrams_ok) + ' / ' + num(g.crc_errors), g.crc_errors > 0 ? 'warn' : '']);
		} else if (g.source === 'modbus') {
			rows.push(['Meter', g.meter || '–']);
			rows.push(['Polls OK / failed', num(g.polls_ok) + ' / ' + num(g.polls_failed), g.polls_failed > 0 ? 'warn' : '']);
		}
		if (g.ems) {
			rows.push(['EMS (Modbus TCP slave)', 'port ' + num(g.ems.port) + ', mode ' + g.ems.mode + ', ' + num(g.ems.masters) + ' master(s)']);
			(g.ems.sockets || []).forEach(function (s, i) {
				rows.push(['EMS limit socket ' + (i + 1),
					s.limit_a === null || s.limit_a === undefined ? 'none written' : num(s.limit_a) + ' A' + (s.safe ? ' (expired: safe)' : ''),
					s.safe ? 'warn' : '']);
			});
		}
		fillFacts($('#grid-facts'), rows);
	}

	function renderScn(n) {
		const box = $('#scn');
		if (!n) {
			box.hidden = true;
			return;
		}
		box.hidden = false;
		const members = n.members || [];
		const lost = members.filter(function (m) { return m.lost; }).length;
		fillFacts($('#scn-facts'), [
			['Network', n.network || '–'],
			['This member', (n.member || '–') + (n.allocator ? ' (allocator)' : '')],
			['State', n.state || '–'],
			['Members', members.length + (lost ? ', ' + lost + ' lost' : ''), lost ? 'warn' : ''],
			['Sockets seen / configured', num(n.sockets_seen) + ' / ' + num(n.socket_count),
				n.sockets_seen !== n.socket_count ? 'warn' : ''],
			['Budget L1 / L2 / L3', amps3(n.budget_a)],
			['In use L1 / L2 / L3', amps3(n.use_a)],
		]);
		const body = $('#scn-sockets tbody');
		const frag = document.createDocumentFragment();
		for (const s of n.sockets || []) {
			const tr = document.createElement('tr');
			for (const v of [s.member, num(s.id), s.in_use ? 'yes' : 'no',
				Array.isArray(s.current_a) ? s.current_a.map(num).join(' / ') : '–', num(s.setpoint_a)]) {
				const td = document.createElement('td');
				td.textContent = v;
				tr.append(td);
			}
			frag.append(tr);
		}
		body.replaceChildren(frag);
	}

	function socketPanel(id) {
		let panel = $('[data-socket="' + id + '"]');
		if (panel)
			return panel;
		panel = $('#socket-template').content.firstElementChild.cloneNode(true);
		panel.dataset.socket = String(id);
		panel.setAttribute('aria-labelledby', 'socket-' + id + '-title');
		const h = $('h2', panel);
		h.id = 'socket-' + id + '-title';
		h.textContent = 'Socket ' + id;
		/* Keep the panels in connector order whatever order they appear in. */
		const box = $('#sockets');
		const after = Array.from(box.children).find(function (p) { return Number(p.dataset.socket) > id; });
		box.insertBefore(panel, after || null);
		return panel;
	}

	function renderSocket(c) {
		const panel = socketPanel(c.id);
		const field = function (name) { return $('[data-field="' + name + '"]', panel); };
		const status = field('ocpp_status');
		setText(status, c.ocpp_status || '–');
		status.dataset.status = c.ocpp_status || '';
		setText(field('offered_a'), num(c.offered_a));
		setText(field('binding'), c.binding || '–');
		setText(field('binding_text'), (BINDING_TEXT[c.binding] || '').replace('ConnectorN', 'Connector' + c.id));
		const imp = Array.isArray(c.import_a) ? c.import_a : [];
		for (let k = 0; k < 3; k++)
			setText($('[data-phase="' + (k + 1) + '"]', field('import_a')), num(imp[k]));
		setText(field('pilot'), c.pilot || '–');
		setText(field('balancing'), c.balancing ? BALANCING_TEXT[c.balancing] || c.balancing : '–');
		field('balancing').title = c.balancing || '';
		setText(field('transaction_id'), c.transaction_id === null || c.transaction_id === undefined ? 'none' : String(c.transaction_id));
		setText(field('energy_wh'), num(c.energy_wh));
		setText(field('cable_a'), c.cable_a ? num(c.cable_a) + ' A' : 'no cable');
		const fault = c.fault || 'none';
		setText(field('fault'), fault);
		field('fault').className = fault === 'none' ? '' : 'tone-bad';
		setText(field('display'), c.display || '–');
		/* The status LED: its colours and how they blink (hw/README.md). */
		const led = c.led || {};
		setText(field('led'), led.pattern ? (led.colors || []).join(' / ') + ', ' + led.pattern.replace('_', ' ') : '–');
	}

	/* ---- the chart: drawn current per phase against the offer ------------ */

	function record(c, t) {
		let h = samples.get(c.id);
		if (!h) {
			h = [];
			samples.set(c.id, h);
		}
		/* The station's clock went back (set by the central system): start again. */
		if (h.length && t < h[h.length - 1].t)
			h.length = 0;
		if (h.length && t === h[h.length - 1].t)
			h.pop();
		const imp = Array.isArray(c.import_a) ? c.import_a : [0, 0, 0];
		h.push({ t: t, off: Number(c.offered_a) || 0, imp: [0, 1, 2].map(function (k) { return Number(imp[k]) || 0; }) });
		while (h.length > MAX_SAMPLES || (h.length && h[0].t < t - WINDOW_MS))
			h.shift();
	}

	function svgEl(name, attrs) {
		const el = document.createElementNS(SVG_NS, name);
		for (const k in attrs)
			el.setAttribute(k, attrs[k]);
		return el;
	}

	function drawChart(id) {
		const panel = socketPanel(id);
		const svg = $('svg', panel);
		const h = samples.get(id) || [];
		const W = 640, H = 220, L = 40, R = 10, T = 10, B = 26;
		const end = h.length ? h[h.length - 1].t : Date.now();
		const start = end - WINDOW_MS;
		let top = 0;
		for (const s of h)
			top = Math.max(top, s.off, s.imp[0], s.imp[1], s.imp[2]);
		const yMax = [8, 16, 24, 32, 40, 48, 64, 80, 100, 125, 160, 200, 250].find(function (v) { return v >= top * 1.05; }) || Math.ceil(top / 50) * 50;
		const x = function (t) { return L + (W - L - R) * (t - start) / WINDOW_MS; };
		const y = function (a) { return T + (H - T - B) * (1 - a / yMax); };
		const frag = document.createDocumentFragment();

		for (let k = 0; k <= 4; k++) {
			const a = yMax * k / 4;
			frag.append(svgEl('line', { x1: L, x2: W - R, y1: y(a), y2: y(a), class: 'grid' }));
			const lab = svgEl('text', { x: L - 6, y: y(a) + 4, 'text-anchor': 'end', class: 'axis' });
			lab.textContent = (Math.round(a * 10) / 10) + (k === 4 ? ' A' : '');
			frag.append(lab);
		}
		for (let m = 0; m <= 10; m += 2) {
			const xx = x(start + m * 60000);
			frag.append(svgEl('line', { x1: xx, x2: xx, y1: T, y2: H - B, class: 'grid' }));
			const lab = svgEl('text', { x: xx, y: H - 8, 'text-anchor': m === 0 ? 'start' : m === 10 ? 'end' : 'middle', class: 'axis' });
			lab.textContent = m === 10 ? 'now' : '−' + (10 - m) + ' min';
			frag.append(lab);
		}
		if (h.length) {
			/* Samples hold until the next one: step lines.  Equal phases
			 * would hide each other: L1 widest at the bottom, L3 thinnest
			 * on top, the offer dashed over them. */
			const steps = function (val) {
				let d = 'M' + x(h[0].t).toFixed(1) + ',' + y(val(h[0])).toFixed(1);
				for (let i = 1; i < h.length; i++)
					d += 'H' + x(h[i].t).toFixed(1) + 'V' + y(val(h[i])).toFixed(1);
				return d;
			};
			for (let k = 0; k < 3; k++)
				frag.append(svgEl('path', { d: steps(function (s) { return s.imp[k]; }), class: 'phase', stroke: PHASE_COLORS[k], 'stroke-width': 6 - 2 * k }));
			frag.append(svgEl('path', { d: steps(function (s) { return s.off; }), class: 'offer' }));
		}
		svg.replaceChildren(frag);
		const last = h[h.length - 1];
		svg.setAttribute('aria-label', 'Socket ' + id + ', last 10 minutes: ' + (last
			? 'offered ' + last.off + ' A now, drawing ' + last.imp.join(' / ') + ' A on L1 / L2 / L3'
			: 'no data yet'));
	}

	/* ---- configuration ---------------------------------------------------- */

	let configLoaded = false;

	async function loadConfig() {
		const state = $('#config-state');
		setText(state, 'loading…');
		let list;
		try {
			const r = await fetch(apiUrl('api/config'), { cache: 'no-store' });
			if (!r.ok)
				throw new Error('HTTP ' + r.status);
			list = (await r.json()).configurationKey || [];
		} catch (e) {
			setText(state, 'could not load the configuration: ' + e.message);
			return;
		}
		list.sort(function (a, b) { return a.key.localeCompare(b.key); });
		const body = $('#config-table tbody');
		const frag = document.createDocumentFragment();
		for (const k of list)
			frag.append(configRow(k));
		body.replaceChildren(frag);
		configLoaded = true;
		setText(state, list.length + ' keys');
		filterConfig();
	}

	function configRow(k) {
		const tr = document.createElement('tr');
		tr.dataset.key = k.key;
		const th = document.createElement('th');
		th.scope = 'row';
		th.textContent = k.key;
		const tdVal = document.createElement('td');
		const tdAct = document.createElement('td');
		const tdRes = document.createElement('td');
		const out = document.createElement('output');
		tdRes.append(out);
		const writeOnly = k.value === undefined;
		if (k.readonly) {
			tdVal.textContent = writeOnly ? '(not readable)' : k.value;
			tdVal.className = 'readonly';
			tdAct.textContent = 'read-only';
			tdAct.className = 'muted';
		} else {
			const input = document.createElement('input');
			input.type = writeOnly ? 'password' : 'text';
			input.autocomplete = writeOnly ? 'new-password' : 'off';
			input.spellcheck = false;
			input.value = writeOnly ? '' : k.value;
			input.placeholder = writeOnly ? 'write-only: enter a new value' : '';
			input.setAttribute('aria-label', 'Value of ' + k.key);
			const btn = document.createElement('button');
			btn.type = 'button';
			btn.textContent = 'Save';
			btn.setAttribute('aria-label', 'Save ' + k.key);
			const save = function () { saveConfig(k.key, input, btn, out, writeOnly); };
			btn.addEventListener('click', save);
			input.addEventListener('keydown', function (ev) {
				if (ev.key === 'Enter')
					save();
			});
			tdVal.append(input);
			tdAct.append(btn);
		}
		tr.append(th, tdVal, tdAct, tdRes);
		return tr;
	}

	async function saveConfig(key, input, btn, out, writeOnly) {
		btn.disabled = true;
		out.className = '';
		setText(out, 'saving…');
		try {
			const r = await fetch(apiUrl('api/config/' + encodeURIComponent(key)), {
				method: 'PUT',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ value: input.value }),
			});
			let body = {};
			try {
				body = await r.json();
			} catch (e) {
				/* an answer without JSON: the HTTP status says enough */
			}
			if (!r.ok) {
				out.className = 'tone-bad';
				setText(out, 'HTTP ' + r.status + (body.error ? ': ' + body.error : ''));
				return;
			}
			out.dataset.status = body.status || '';
			out.className = body.status === 'Accepted' ? 'tone-ok' : body.status === 'RebootRequired' ? 'tone-warn' : 'tone-bad';
			setText(out, (body.status || '?') + (body.reason ? ': ' + body.reason : '') +
				(key === 'Installer-Password' && body.status === 'Accepted' ? ' (the browser asks for the new password next)' : ''));
			if (writeOnly && body.status === 'Accepted')
				input.value = '';
		} catch (e) {
			out.className = 'tone-bad';
			setText(out, 'failed: ' + e.message);
		} finally {
			btn.disabled = false;
		}
	}

	function filterConfig() {
		const q = $('#config-filter').value.trim().toLowerCase();
		for (const tr of $('#config-table tbody').children)
			tr.hidden = q !== '' && tr.dataset.key.toLowerCase().indexOf(q) < 0;
	}

	/* ---- views ------------------------------------------------------------ */

	function show(view) {
		const cfg = view === 'config';
		$('#view-live').hidden = cfg;
		$('#view-config').hidden = !cfg;
		$('#tab-live').setAttribute('aria-pressed', String(!cfg));
		$('#tab-config').setAttribute('aria-pressed', String(cfg));
		if (cfg && !configLoaded)
			loadConfig();
	}

	$('#tab-live').addEventListener('click', function () {
		history.replaceState(null, '', location.pathname + location.search);
		show('live');
	});
	$('#tab-config').addEventListener('click', function () {
		history.replaceState(null, '', '#config');
		show('config');
	});
	$('#config-reload').addEventListener('click', loadConfig);
	$('#config-filter').addEventListener('input', filterConfig);
	window.addEventListener('hashchange', function () {
		show(location.hash === '#config' ? 'config' : 'live');
	});

	show(location.hash === '#config' ? 'config' : 'live');
	openLive();
})();
