/* Version 2 of the Chatbot node (imbot.v2) in the unit tests: the same nock portal as version 1. */
import type { IDataObject } from 'n8n-workflow';

import type { Bitrix24ChatbotV2 } from '../../../nodes/Bitrix24Chatbot/v2/Bitrix24ChatbotV2.node';
import type { RunOptions, RunResult } from '../../helpers/runNode';
import { runNode } from '../../helpers/runNode';
import { versioned } from './harness';

export const nodeV2 = versioned.getNodeType(2) as Bitrix24ChatbotV2;

export async function runV2(parameters: IDataObject, options: Partial<RunOptions> = {}): Promise<RunResult> {
	return await runNode(nodeV2, { parameters: { authentication: 'oAuth2', ...parameters }, ...options });
}
