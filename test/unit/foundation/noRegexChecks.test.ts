/* n8n 2.41 checks a resource locator's regex `validation` (and a `_cnd.regex` display condition) before every run, in a
 * vm limited to 250 ms: on a busy machine the check itself times out and the run fails with "Regular expression
 * execution timed out" before any node ran (seen in CI: 1 run of 400 of the Chatbot Fetch Trigger, its Bot ID field).
 * Our nodes check their IDs themselves, before anything is sent, so no node property may use either. */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { INodeType, IVersionedNodeType } from 'n8n-workflow';

const ROOT = join(__dirname, '..', '..', '..');
const nodePaths = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } }).n8n.nodes;

/** Every description of every node of the package (each version of a versioned node). */
function descriptions(): Array<{ name: string; properties: unknown[] }> {
	const out: Array<{ name: string; properties: unknown[] }> = [];
	for (const distPath of nodePaths) {
		const source = join(ROOT, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const exported = require(source) as Record<string, new () => INodeType | IVersionedNodeType>;
		for (const NodeClass of Object.values(exported)) {
			const node = new NodeClass();
			const versions = 'nodeVersions' in node ? Object.values(node.nodeVersions) : [node];
			for (const version of versions) out.push({ name: `${version.description.name} v${String(version.description.version)}`, properties: version.description.properties });
		}
	}
	return out;
}

/** Paths of regex checks under a value (validation entries of type regex, `_cnd: { regex }` conditions). */
function regexChecks(value: unknown, path: string): string[] {
	if (Array.isArray(value)) return value.flatMap((v, i) => regexChecks(v, `${path}[${i}]`));
	if (!value || typeof value !== 'object') return [];
	const found: string[] = [];
	for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
		if (key === 'type' && v === 'regex' && path.includes('validation')) found.push(path);
		if (key === 'regex' && path.endsWith('_cnd')) found.push(`${path}.regex`);
		found.push(...regexChecks(v, `${path}.${key}`));
	}
	return found;
}

test('no node property has a regex check that n8n runs before every execution', () => {
	const all = descriptions();
	expect(all.length).toBeGreaterThanOrEqual(nodePaths.length);
	const found = all.flatMap(({ name, properties }) => regexChecks(properties, name));
	expect(found).toEqual([]);
});
