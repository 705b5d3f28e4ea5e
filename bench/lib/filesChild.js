'use strict';
/**
 * One measurement of bench/files.js: runs the Chatbot node (version 2) of the built package `dist` once through
 * n8n-core's WorkflowExecute in this process (test/helpers/runNode.ts, loaded through TypeScript's transpiler), with
 * an OAuth2 credential whose portal is `base`, and prints { outcome, peakRssGrowthMb, wallMs }.
 *
 *   node bench/lib/filesChild.js <dist> <base> download|upload
 */
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

// test/helpers/runNode.ts and the credentials it imports, as CommonJS (types stripped, nothing checked).
require.extensions['.ts'] = (module, filename) => {
	const source = fs.readFileSync(filename, 'utf8');
	const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2021, esModuleInterop: true } });
	module._compile(outputText, filename);
};

const [dist, base, operation] = process.argv.slice(2);
const { runNode, oauthCredentials } = require('../../test/helpers/runNode.ts');
const { Bitrix24Chatbot } = require(path.join(dist, 'nodes', 'Bitrix24Chatbot', 'Bitrix24Chatbot.node.js'));

const MB = 1024 * 1024;
const node = new Bitrix24Chatbot().getNodeType(2);
const credentials = {
	bitrix24OAuth2Api: oauthCredentials({ portalUrl: base, oauthTokenData: { access_token: 'a', refresh_token: 'r', expires_in: 3600, client_endpoint: `${base}/rest/` } }),
};
const parameters =
	operation === 'download'
		? { authentication: 'oAuth2', resource: 'file', operation: 'download', botId: { __rl: true, mode: 'id', value: '456' }, fileId: '900' }
		: { authentication: 'oAuth2', resource: 'file', operation: 'upload', botId: { __rl: true, mode: 'id', value: '456' }, dialogId: '27', fileSource: 'url', fileUrl: `${base}/files/big.bin` };

async function main() {
	global.gc?.();
	const before = process.memoryUsage().rss;
	const t0 = Date.now();
	const run = await runNode(node, { parameters, credentials, continueOnFail: true });
	const wallMs = Date.now() - t0;
	const peak = process.resourceUsage().maxRSS * 1024;
	const item = run.items[0];
	const error = item?.json?.error ?? run.error?.message;
	const outcome = error ? `refused: ${String(error).slice(0, 220)}` : `accepted: ${Math.round(((item?.json?.size ?? 0) / MB) * 10) / 10} MB ${operation === 'download' ? 'downloaded into a binary property' : 'sent to imbot.v2.File.upload'}`;
	process.stdout.write(`${JSON.stringify({ outcome, peakRssGrowthMb: Math.round((peak - before) / MB), wallMs })}\n`);
	process.exit(0);
}

main().catch((error) => {
	process.stdout.write(`${JSON.stringify({ outcome: `error: ${error.message}` })}\n`);
	process.exit(1);
});
