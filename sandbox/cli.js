#!/usr/bin/env node
'use strict';
/**
 * npm run sandbox -- [--port 8931] [--rate 2 --burst 50] [--token-ttl 3600] [--fault-rate 0]
 *                    [--latency-ms 0] [--operation-time-limit false|true|SECONDS] [--seed 1]
 */
const { startSandbox } = require('./index');

const FLAGS = {
	'--port': 'port',
	'--rate': 'rate',
	'--burst': 'burst',
	'--token-ttl': 'tokenTtl',
	'--fault-rate': 'faultRate',
	'--latency-ms': 'latencyMs',
	'--operation-time-limit': 'operationTimeLimit',
	'--seed': 'seed',
	'--v2-rate': 'v2Rate',
	'--v2-burst': 'v2Burst',
};

function usage() {
	return `Usage: npm run sandbox -- [options]
  --port N                  port on 127.0.0.1 (default 8931; 0 = random)
  --rate N                  leaky bucket drain per second (default 2; 0 = no rate limit)
  --burst N                 leaky bucket capacity (default 50)
  --token-ttl S             OAuth access token lifetime in seconds (default 3600)
  --fault-rate P            probability 0..1 of an injected 503/500 (default 0)
  --latency-ms N            delay added to every REST/OAuth reply (default 0)
  --operation-time-limit X  false | true | SECONDS: answer 429 OPERATION_TIME_LIMIT (default false)
  --seed N                  PRNG seed for fault injection (default 1)
  --v2-rate N               imbot.v2 requests per second per application, HTTP 429 above (default 0 = off; the docs say 2)
  --v2-burst N              imbot.v2 bucket capacity (default 2)`;
}

function parseArgs(argv) {
	const opts = { port: 8931 };
	for (let i = 0; i < argv.length; i++) {
		let arg = argv[i];
		let value;
		if (arg === '--help' || arg === '-h') {
			console.log(usage());
			process.exit(0);
		}
		const eq = arg.indexOf('=');
		if (eq !== -1) {
			value = arg.slice(eq + 1);
			arg = arg.slice(0, eq);
		} else value = argv[++i];
		const key = FLAGS[arg];
		if (!key || value === undefined) {
			console.error(`Unknown or incomplete option: ${argv[i - (eq === -1 ? 1 : 0)]}\n${usage()}`);
			process.exit(2);
		}
		if (key === 'operationTimeLimit') opts[key] = value === 'true' ? true : value === 'false' ? false : Number(value);
		else opts[key] = Number(value);
	}
	return opts;
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	let sb;
	try {
		sb = await startSandbox(opts);
	} catch (e) {
		console.error(`Sandbox could not start: ${e.message}`);
		process.exit(1);
	}
	const o = sb.portal.options;
	console.log(`Bitrix24 sandbox portal listening on ${sb.url}
  Incoming webhook URL : ${sb.webhookUrl}
  OAuth2 authorize URL : ${sb.oauth.authorizeUrl}
  OAuth2 token URL     : ${sb.oauth.tokenUrl}
  OAuth2 client id     : ${sb.oauth.clientId}
  OAuth2 client secret : ${sb.oauth.clientSecret}
  Application token    : ${sb.applicationToken}
  Sandbox endpoints    : ${sb.url}/sandbox/  (log, state, reset, config, triggers; see sandbox/README.md)
  Limits: rate ${o.rate}/s, burst ${o.burst}; token TTL ${o.tokenTtl}s; fault rate ${o.faultRate}; latency ${o.latencyMs} ms
Press Ctrl-C to stop.`);
	const shutdown = async () => {
		await sb.stop();
		process.exit(0);
	};
	process.on('SIGINT', shutdown);
	process.on('SIGTERM', shutdown);
}

main();
