import type { INodeProperties } from 'n8n-workflow';

/** The message text field every node has (BB-codes, a few rows): one definition, each use says what it sends. */
export function messageTextProperty(description: string): INodeProperties {
	return { displayName: 'Text', name: 'text', type: 'string', typeOptions: { rows: 3 }, default: '', description };
}
