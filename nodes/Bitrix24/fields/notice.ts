import type { INodeProperties } from 'n8n-workflow';

/** Where the details of a node's notice live (the project's docs on GitHub). */
export const DOCS_URL = 'https://github.com/n8n-nodes-bitrix24-chat/n8n-nodes-bitrix24-chat/blob/main/docs';

/**
 * The one short notice of a node, in the user's words, with the details behind a docs link. `show` limits it to some
 * settings (e.g. a credential that cannot run the node, next to the credential picker).
 */
export function shortNotice(name: string, text: string, doc: string, show?: Record<string, string[]>): INodeProperties {
	return {
		displayName: `${text} <a href="${DOCS_URL}/${doc}" target="_blank">More</a>`,
		name,
		type: 'notice',
		default: '',
		...(show ? { displayOptions: { show } } : {}),
	};
}
