// Lint = the rules n8n's community-package scanner enforces (@n8n/eslint-plugin-community-nodes, all at error level)
// plus eslint-plugin-n8n-nodes-base's community, nodes and credentials rule sets, over nodes/, credentials/ and package.json.
import tsParser from '@typescript-eslint/parser';
import { configs as communityConfigs } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const community = communityConfigs.recommended;
const asErrors = (rules) => Object.fromEntries(Object.keys(rules).map((name) => [name, 'error']));
const pick = (prefix) =>
	Object.fromEntries(Object.entries(n8nNodesBase.configs[prefix].rules).map(([name]) => [name, 'error']));

export default [
	{ ignores: ['dist/**', 'node_modules/**', '.cache/**', 'test/**', 'sandbox/**', 'bench/**', 'scripts/**', '*.js', '*.mjs'] },
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
		linterOptions: { reportUnusedDisableDirectives: 'error', noInlineConfig: true },
		plugins: { ...community.plugins, 'n8n-nodes-base': n8nNodesBase },
		rules: asErrors(community.rules),
	},
	{ files: ['package.json'], rules: pick('community') },
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...pick('credentials'),
			// Internal n8n-nodes-base convention (a docs slug); community credentials must give a full URL instead
			// (@n8n/community-nodes/credential-documentation-url). n8n-nodes-starter turns these two off too.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-documentation-url-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...pick('nodes'),
			// Our executor honours continueOnFail in nodes/Bitrix24/operations/execute.ts, which this rule cannot see.
			'n8n-nodes-base/node-execute-block-missing-continue-on-fail': 'off',
			// Resources live in resources/<resource>.ts as data tables, not in <Resource>Description.ts files.
			'n8n-nodes-base/node-resource-description-filename-against-convention': 'off',
			// These two want the string 'main'; the scanner's @n8n/community-nodes/node-connection-type-literal wants
			// NodeConnectionTypes.Main. The scanner wins.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
];
