/* The documented Bitrix24 method and event names: the project's own copy in test/fixtures (see its header). */
import * as fs from 'fs';
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const LIST = path.join(REPO_ROOT, 'test', 'fixtures', 'bitrix24-methods.txt');

function readList(): { methods: Set<string>; events: Set<string> } {
	const methods = new Set<string>();
	const events = new Set<string>();
	let section: 'methods' | 'events' = 'methods';
	for (const raw of fs.readFileSync(LIST, 'utf8').split(/\r?\n/)) {
		const line = raw.trim();
		if (line === '# events') section = 'events';
		else if (line === '# methods') section = 'methods';
		if (!line || line.startsWith('#')) continue;
		(section === 'events' ? events : methods).add(line);
	}
	return { methods, events };
}

export const documented = readList();

export function isDocumentedMethod(name: string): boolean {
	return documented.methods.has(name);
}

export function isDocumentedEvent(name: string): boolean {
	return documented.events.has(name.toUpperCase());
}
