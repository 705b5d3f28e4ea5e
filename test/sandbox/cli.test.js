'use strict';
const { spawn } = require('child_process');
const path = require('path');

test('npm run sandbox (cli.js): prints its URLs, serves, stops on SIGTERM', async () => {
	const child = spawn(process.execPath, [path.join(__dirname, '../../sandbox/cli.js'), '--port', '0', '--rate', '5', '--burst', '250', '--token-ttl', '60'], { stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	const url = await new Promise((resolve, reject) => {
		child.stdout.on('data', (c) => {
			out += c;
			const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
			if (m && out.includes('Press Ctrl-C')) resolve(m[1]);
		});
		child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
	});
	expect(out).toContain(`${url}/rest/1/sandboxwebhook/`);
	expect(out).toContain(`${url}/oauth/authorize/`);
	expect(out).toContain(`${url}/oauth/token/`);
	expect(out).toContain('local.sandbox.app');
	expect(out).toContain('sandbox-secret');
	expect(out).toContain('sandbox-app-token');
	const cfg = await (await fetch(`${url}/sandbox/config`)).json();
	expect(cfg).toMatchObject({ rate: 5, burst: 250, tokenTtl: 60 });
	const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
	child.kill('SIGTERM');
	expect(await exited).toBe(0);
});
