'use strict';
/**
 * The sandbox portal: a local HTTP server that behaves like a Bitrix24 portal for the APIs this
 * package covers. See README.md in this folder.
 *
 *   const { startSandbox } = require('./sandbox');
 *   const sb = await startSandbox({ port: 0 });
 *   ... sb.webhookUrl, sb.oauth, sb.issueTokens(), sb.state ...
 *   await sb.stop();
 */
const crypto = require('crypto');
const { createServer } = require('./server');
const { createState } = require('./state');
const { createTokenStore, issueTokens, expireAllAccessTokens, scheduleExpiryRace, releaseExpiryRace } = require('./oauth');
const { LeakyBucket } = require('./limiter');
const { createPrng } = require('./prng');
const { createLog } = require('./log');
const { buildRegistry } = require('./methods');

const DEFAULTS = {
	host: '127.0.0.1',
	port: 0,
	rate: 2,
	burst: 50,
	tokenTtl: 3600,
	faultRate: 0,
	latencyMs: 0,
	operationTimeLimit: false,
	seed: 1,
	v2Rate: 0,
	v2Burst: 2,
	logLimit: 5000,
};
const CLIENT_ID = 'local.sandbox.app';
const CLIENT_SECRET = 'sandbox-secret';
const APPLICATION_TOKEN = 'sandbox-app-token';
const WEBHOOK = { userId: 1, code: 'sandboxwebhook' };
const RUNTIME_KEYS = ['rate', 'burst', 'tokenTtl', 'faultRate', 'latencyMs', 'operationTimeLimit', 'seed', 'v2Rate', 'v2Burst'];

function checkNumber(name, value, { min = 0, max = Infinity } = {}) {
	const n = Number(value);
	if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${name} must be a number between ${min} and ${max === Infinity ? 'infinity' : max}`);
	return n;
}

function createPortal(options) {
	const portal = {
		options,
		state: createState(),
		tokens: createTokenStore(),
		limiter: new LeakyBucket({ rate: options.rate, burst: options.burst }),
		random: createPrng(options.seed),
		registry: buildRegistry(),
		log: createLog(options.logLimit),
		deliveries: [],
		pending: new Set(),
		clientId: CLIENT_ID,
		clientSecret: CLIENT_SECRET,
		applicationToken: APPLICATION_TOKEN,
		webhook: { ...WEBHOOK },
		memberId: crypto.createHash('md5').update('bitrix24-sandbox-portal').digest('hex'),
		otl: null,
		url: '',
		host: '',
	};

	portal.setOperationTimeLimit = (value) => {
		if (value === false || value === 0 || value === null || value === undefined || value === 'false') portal.otl = null;
		else if (value === true || value === 'true') portal.otl = { until: null };
		else portal.otl = { until: Date.now() + checkNumber('operationTimeLimit', value) * 1000 };
		portal.options.operationTimeLimit = value;
	};

	portal.configure = (partial = {}) => {
		for (const key of Object.keys(partial)) {
			if (!RUNTIME_KEYS.includes(key)) throw new Error(`unknown option "${key}"; allowed: ${RUNTIME_KEYS.join(', ')}`);
		}
		const next = {};
		if (partial.rate !== undefined) next.rate = checkNumber('rate', partial.rate);
		if (partial.burst !== undefined) next.burst = checkNumber('burst', partial.burst, { min: 1 });
		if (partial.tokenTtl !== undefined) next.tokenTtl = checkNumber('tokenTtl', partial.tokenTtl, { min: 1 });
		if (partial.faultRate !== undefined) next.faultRate = checkNumber('faultRate', partial.faultRate, { max: 1 });
		if (partial.latencyMs !== undefined) next.latencyMs = checkNumber('latencyMs', partial.latencyMs);
		if (partial.seed !== undefined) next.seed = checkNumber('seed', partial.seed);
		if (partial.v2Rate !== undefined) next.v2Rate = checkNumber('v2Rate', partial.v2Rate);
		if (partial.v2Burst !== undefined) next.v2Burst = checkNumber('v2Burst', partial.v2Burst, { min: 1 });
		Object.assign(portal.options, next);
		if (next.rate !== undefined || next.burst !== undefined) {
			portal.limiter.configure({ rate: portal.options.rate, burst: portal.options.burst });
			portal.limiter.reset();
		}
		if (next.seed !== undefined) portal.random = createPrng(next.seed);
		if (partial.operationTimeLimit !== undefined) portal.setOperationTimeLimit(partial.operationTimeLimit);
	};

	portal.reset = ({ tokens = false } = {}) => {
		portal.state = createState();
		portal.log.clear();
		portal.deliveries.length = 0;
		portal.limiter.reset();
		portal.random = createPrng(portal.options.seed);
		if (tokens) portal.tokens = createTokenStore();
	};

	portal.publicConfig = () => {
		const o = {};
		for (const k of RUNTIME_KEYS) o[k] = portal.options[k];
		o.limiter = portal.limiter.snapshot();
		return o;
	};

	portal.describe = () => ({
		url: portal.url,
		webhookUrl: `${portal.url}/rest/${portal.webhook.userId}/${portal.webhook.code}/`,
		oauth: {
			clientId: CLIENT_ID,
			clientSecret: CLIENT_SECRET,
			authorizeUrl: `${portal.url}/oauth/authorize/`,
			tokenUrl: `${portal.url}/oauth/token/`,
		},
		applicationToken: APPLICATION_TOKEN,
	});

	portal.setOperationTimeLimit(options.operationTimeLimit);
	return portal;
}

/**
 * Starts a sandbox portal on 127.0.0.1.
 * @param {object} [opts] port (0 = random), rate, burst, tokenTtl, faultRate, latencyMs, operationTimeLimit, seed
 */
async function startSandbox(opts = {}) {
	const options = { ...DEFAULTS };
	for (const [k, v] of Object.entries(opts)) if (v !== undefined) options[k] = v;
	const initial = {};
	for (const k of RUNTIME_KEYS) if (k !== 'operationTimeLimit') initial[k] = options[k];
	const portal = createPortal({ ...options, operationTimeLimit: false });
	portal.configure({ ...initial, operationTimeLimit: options.operationTimeLimit });

	const server = createServer(portal);
	server.keepAliveTimeout = 5000;
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(Number(options.port), options.host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = server.address().port;
	portal.url = `http://${options.host}:${port}`;
	portal.host = `${options.host}:${port}`;
	const d = portal.describe();

	let stopped = false;
	let down = null;
	/** Refuses every connection for `ms`: the listener is closed and idle keep-alive connections dropped, then it listens again. */
	function outage(ms) {
		if (down || stopped) return down || Promise.resolve();
		server.close();
		server.closeIdleConnections();
		down = new Promise((resolve) => setTimeout(resolve, ms)).then(
			() =>
				new Promise((resolve) => {
					down = null;
					if (stopped) return resolve();
					server.listen(port, options.host, resolve);
				}),
		);
		return down;
	}
	// An outage scheduled at the n-th /rest/ request: the listener closes as that request arrives (so no connection can
	// wait in the accept queue and be reset), the request itself is answered with `Connection: close`, then nothing
	// connects until the outage is over: every client sees ECONNREFUSED, none a reset.
	let scheduled = null;
	let restRequests = 0;
	server.on('request', (req, res) => {
		if (!scheduled || !req.url.startsWith('/rest/')) return;
		restRequests++;
		if (restRequests !== scheduled.afterRequests) return;
		const { ms } = scheduled;
		scheduled = null;
		res.setHeader('connection', 'close');
		outage(ms);
	});
	return {
		url: d.url,
		port,
		webhookUrl: d.webhookUrl,
		oauth: d.oauth,
		applicationToken: d.applicationToken,
		/** the live state (a new object after reset(); always read it through this property) */
		get state() {
			return portal.state;
		},
		portal,
		configure: (partial) => portal.configure(partial),
		reset: (o) => portal.reset(o),
		issueTokens: (o) => issueTokens(portal, o),
		log: () => portal.log.entries,
		outage,
		/** Starts an outage of `ms` as the `afterRequests`-th next /rest/ request arrives (that one is still answered). */
		scheduleOutage({ afterRequests, ms }) {
			restRequests = 0;
			scheduled = { afterRequests, ms };
		},
		/** Expires every access token now; returns how many. */
		expireTokens: () => expireAllAccessTokens(portal),
		/** Holds the next `callers` expired-token answers until all have arrived, then answers them together (oauth.js). */
		scheduleExpiryRace: (o) => scheduleExpiryRace(portal, o),
		/** Resolves when no outage is in progress. */
		whenUp: () => down || Promise.resolve(),
		deliveries: () => portal.deliveries,
		async stop() {
			if (stopped) return;
			stopped = true;
			releaseExpiryRace(portal);
			if (down) await down;
			const closing = new Promise((resolve) => server.close(() => resolve()));
			server.closeAllConnections();
			await closing;
			await Promise.race([Promise.allSettled([...portal.pending]), new Promise((r) => setTimeout(r, 2000).unref())]);
		},
	};
}

module.exports = { startSandbox, DEFAULTS, CLIENT_ID, CLIENT_SECRET, APPLICATION_TOKEN };
