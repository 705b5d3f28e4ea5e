'use strict';
// Helpers for the e2e tests of our nodes against the sandbox portal: credentials to import, workflows
// (Manual Trigger → a chain of our nodes), and reads of the sandbox's request log.
//
//   const { sandboxCredentials, chainWorkflow, ourNode, sandboxLog } = require('./lib/bitrix');

const crypto = require('node:crypto');

const PACKAGE = 'n8n-nodes-bitrix24-chat';
const TYPES = {
	openChannels: `${PACKAGE}.bitrix24OpenChannels`,
	chatbot: `${PACKAGE}.bitrix24Chatbot`,
	openChannelsTrigger: `${PACKAGE}.bitrix24OpenChannelsTrigger`,
	chatbotTrigger: `${PACKAGE}.bitrix24ChatbotTrigger`,
};

/** A 1×1 PNG (base64). */
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/** A resource locator value "By ID". */
const rl = (value) => ({ __rl: true, mode: 'id', value: String(value) });

/**
 * The two credentials of our package pointed at a sandbox, as import records. The OAuth2 one is already
 * connected (oauthTokenData from the sandbox's own token code, as after the code exchange).
 */
function sandboxCredentials(sb, { clientId = 'n8n-e2e-client', oauthId = 'b24OAuthSb', webhookId = 'b24HookSb', tokens, applicationToken = 'sandbox-app-token' } = {}) {
	const oauth = {
		id: oauthId,
		name: 'Bitrix24 OAuth2 (sandbox)',
		type: 'bitrix24OAuth2Api',
		data: {
			portalUrl: sb.url,
			clientId: sb.oauth.clientId,
			clientSecret: sb.oauth.clientSecret,
			accessTokenUrl: sb.oauth.tokenUrl,
			applicationToken,
			oauthTokenData: tokens || sb.issueTokens({ userId: 1 }),
		},
	};
	const webhook = {
		id: webhookId,
		name: 'Bitrix24 Webhook (sandbox)',
		type: 'bitrix24WebhookApi',
		data: { webhookSecret: sb.webhookUrl, chatbotClientId: clientId, applicationToken },
	};
	return { oauth, webhook, list: [oauth, webhook] };
}

/** The `credentials` block of a node for one of the records above. */
function credentialRef(record) {
	return { [record.type]: { id: record.id, name: record.name } };
}

/**
 * One of our action nodes. `auth` is 'oAuth2' or 'webhook'; `credential` the import record to use.
 * Nodes run once (executeOnce) unless `multi: true`: a chain then stays one item per node.
 */
function ourNode(kind, name, parameters, { auth = 'oAuth2', credential, multi = false, extra = {} } = {}) {
	return {
		id: crypto.randomUUID(),
		name,
		type: TYPES[kind],
		typeVersion: 1,
		position: [0, 0],
		parameters: { authentication: auth, ...parameters },
		credentials: credential ? credentialRef(credential) : undefined,
		...(multi ? {} : { executeOnce: true }),
		...extra,
	};
}

/** A Code node (JavaScript, all items at once). */
function codeNode(name, jsCode, extra = {}) {
	return {
		id: crypto.randomUUID(),
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [0, 0],
		parameters: { jsCode },
		...extra,
	};
}

/** Manual Trigger → nodes[0] → nodes[1] → … (positions laid out left to right). */
function chainWorkflow(id, name, nodes) {
	const all = [
		{ id: crypto.randomUUID(), name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		...nodes,
	].map((n, i) => ({ ...n, position: [i * 220, 0] }));
	const connections = {};
	for (let i = 0; i < all.length - 1; i++) {
		connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	}
	for (const n of all) if (n.credentials === undefined) delete n.credentials;
	return { id, name, nodes: all, connections };
}

/** The sandbox's request log entries (optionally only from `sinceId` on and/or one method). */
function sandboxLog(sb, { sinceId = 0, method } = {}) {
	return sb.log().filter((e) => e.id > sinceId && (!method || e.method === method));
}

/** The id of the newest log entry (0 if none): pass it as `sinceId` later. */
function logMark(sb) {
	const entries = sb.log();
	return entries.length ? entries[entries.length - 1].id : 0;
}

/** POST JSON to a sandbox-only endpoint (/sandbox/…). */
async function control(sb, urlPath, body) {
	const res = await fetch(`${sb.url}/sandbox/${urlPath}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body || {}),
	});
	const json = await res.json();
	if (res.status >= 400) throw new Error(`sandbox ${urlPath} → ${res.status}: ${JSON.stringify(json)}`);
	return json;
}

/** A REST call to the sandbox as the OAuth app (test set-up, not the code under test). */
async function appCall(sb, token, method, params = {}) {
	const res = await fetch(`${sb.url}/rest/${method}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
		body: JSON.stringify(params),
	});
	return { status: res.status, body: await res.json() };
}

/** Fails with the node's error (and the n8n output) when an execution did not succeed. */
function expectRunOk(run) {
	if (!run.ok) {
		const err = run.error || {};
		const msg = `execution failed at ${run.lastNodeExecuted}: ${err.message || JSON.stringify(err)}\n${err.description || ''}\n${(run.stderr || '').slice(-2000)}`;
		throw new Error(msg);
	}
	return run;
}

/**
 * A scheduled fetch trigger's poll times that make it poll every 10 s: n8n's shortest poll time is a minute, and a
 * user may add several, here six at different seconds of each minute. The tests wait seconds, not minutes, per poll.
 */
const POLL_EVERY_10_S = { item: [0, 10, 20, 30, 40, 50].map((s) => ({ mode: 'custom', cronExpression: `${s} * * * * *` })) };

module.exports = {
	POLL_EVERY_10_S,
	TYPES,
	PNG_BASE64,
	rl,
	sandboxCredentials,
	credentialRef,
	ourNode,
	codeNode,
	chainWorkflow,
	sandboxLog,
	logMark,
	control,
	appCall,
	expectRunOk,
};
