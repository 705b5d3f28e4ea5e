/* Every Bitrix24 method and event name the project uses is documented (test/fixtures/bitrix24-methods.txt), and
 * nothing the tests, scripts, benchmarks or build read lies outside the repository. */
import * as fs from 'fs';
import * as path from 'path';

import { documented, isDocumentedEvent, isDocumentedMethod, REPO_ROOT } from '../../helpers/documentedNames';

function filesUnder(dir: string, extensions: RegExp): string[] {
	const out: string[] = [];
	const walk = (d: string) => {
		for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
			if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
			const full = path.join(d, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (extensions.test(entry.name)) out.push(full);
		}
	};
	walk(path.join(REPO_ROOT, dir));
	return out;
}

/** Quoted method names: 'imbot.message.add', "event.bind", `imopenlines.config.get` (not the im.chat_id parameter paths). */
const METHOD = /['"`]((?:imconnector|imopenlines|imbot|event|im|crm|user|app)\.[A-Za-z0-9_.]+)['"`]/g;
const EVENT = /['"`](ON(?:IM|OPENLINE|SESSION|APP|OFFLINE)[A-Z0-9]*)['"`]/gi;
/** Parameter paths inside MESSAGES elements (bitrix24-api.md §2.1), not methods. */
const PARAM_PATH = /^im\.[a-z]+_[a-z_]+$/;

describe('Documented Bitrix24 names', () => {
	const sources = [...filesUnder('nodes', /\.ts$/), ...filesUnder('credentials', /\.ts$/), ...filesUnder('sandbox', /\.js$/)];

	test('the list is read from the repository and holds methods and events', () => {
		expect(documented.methods.size).toBeGreaterThan(100);
		expect(documented.events.has('ONIMBOTMESSAGEADD')).toBe(true);
		expect(isDocumentedMethod('imbot.message.add')).toBe(true);
		expect(isDocumentedMethod('imopenlines.session.get')).toBe(false);
	});

	test('every method name used under nodes/, credentials/ and sandbox/ is documented', () => {
		const unknown: string[] = [];
		let seen = 0;
		for (const file of sources) {
			const text = fs.readFileSync(file, 'utf8');
			for (const match of text.matchAll(METHOD)) {
				const name = match[1];
				if (PARAM_PATH.test(name) || name.endsWith('.')) continue;
				// Only names that look like methods: at least two dots, or a known family root call (event.bind).
				if (!/^(imconnector|imopenlines|imbot|event|im|crm)\./.test(name)) continue;
				seen++;
				if (!isDocumentedMethod(name)) unknown.push(`${path.relative(REPO_ROOT, file)}: ${name}`);
			}
		}
		expect(seen).toBeGreaterThan(40);
		expect(unknown).toEqual([]);
	});

	test('every event name used under nodes/ and sandbox/ is documented', () => {
		const unknown: string[] = [];
		let seen = 0;
		for (const file of sources) {
			for (const match of fs.readFileSync(file, 'utf8').matchAll(EVENT)) {
				seen++;
				if (!isDocumentedEvent(match[1])) unknown.push(`${path.relative(REPO_ROOT, file)}: ${match[1]}`);
			}
		}
		expect(seen).toBeGreaterThan(5);
		expect(unknown).toEqual([]);
	});

	test('nothing under test/, scripts/, bench/, sandbox/ or the build reads a path outside the repository', () => {
		const files = [
			...['test', 'scripts', 'bench', 'sandbox', 'nodes', 'credentials', '.ci'].flatMap((d) =>
				fs.existsSync(path.join(REPO_ROOT, d)) ? filesUnder(d, /\.(ts|js|mjs|json|sh)$|^run$/) : [],
			),
			...['gulpfile.js', 'index.js', 'package.json', 'tsconfig.json', 'jest.config.js', 'eslint.config.mjs'].map((f) => path.join(REPO_ROOT, f)),
		];
		const outside: string[] = [];
		for (const file of files) {
			const lines = fs.readFileSync(file, 'utf8').split('\n');
			lines.forEach((line, i) => {
				if (/^\s*(\/\/|\*|\/\*|#)/.test(line)) return;
				if (/(\.\.\/)+shared\//.test(line) || /['"`]\/work\//.test(line)) outside.push(`${path.relative(REPO_ROOT, file)}:${i + 1}: ${line.trim()}`);
			});
		}
		expect(outside).toEqual([]);
	});
});
