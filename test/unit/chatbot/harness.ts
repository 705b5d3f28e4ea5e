/* Shared by the Chatbot node's unit tests: run the node against the nock portal of test/helpers/portal.ts. */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { Bitrix24Chatbot } from '../../../nodes/Bitrix24Chatbot/Bitrix24Chatbot.node';
import type { Bitrix24ChatbotV1 } from '../../../nodes/Bitrix24Chatbot/v1/Bitrix24ChatbotV1.node';
import type { RunOptions, RunResult } from '../../helpers/runNode';
import { runNode } from '../../helpers/runNode';

/** The node as n8n loads it (versioned), and its version 1 — the imbot v1 API these tests cover. */
export const versioned = new Bitrix24Chatbot();
export const node = versioned.getNodeType(1) as Bitrix24ChatbotV1;

export function rl(value: string | number): IDataObject {
	return { __rl: true, mode: 'id', value: String(value) };
}

export async function run(parameters: IDataObject, options: Partial<RunOptions> = {}): Promise<RunResult> {
	return await runNode(node, { parameters: { authentication: 'oAuth2', ...parameters }, ...options });
}

export function json(items: INodeExecutionData[]): IDataObject[] {
	return items.map((item) => item.json);
}

/** A tiny real PNG (1×1). */
export const PNG_BASE64 =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

export function imageItem(): INodeExecutionData {
	return { json: {}, binary: { data: { data: PNG_BASE64, mimeType: 'image/png', fileName: 'avatar.png' } } };
}
