import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { lookupCall, lookupPortal, matchesFilter } from './portal';

/** One bot of imbot.bot.list (`{"39": {ID, NAME, CODE, OPENLINE}}`, or `[]` when there is none). */
export interface BotSummary {
	botId: number;
	name: string;
	code: string;
	openLine: boolean;
}

/** imbot.bot.list's result → one entry per bot, in id order. */
export function botsFromList(result: unknown): BotSummary[] {
	if (!result || typeof result !== 'object') return [];
	const entries = Array.isArray(result) ? result : Object.values(result as IDataObject);
	return entries
		.filter((entry): entry is IDataObject => !!entry && typeof entry === 'object')
		.map((entry) => ({
			botId: Number(entry.ID),
			name: String(entry.NAME ?? ''),
			code: String(entry.CODE ?? ''),
			openLine: entry.OPENLINE === 'Y' || entry.OPENLINE === true,
		}))
		.filter((bot) => Number.isInteger(bot.botId) && bot.botId > 0)
		.sort((a, b) => a.botId - b.botId);
}

/**
 * listSearch for the Bot dropdown of the Chatbot node and the Chatbot Trigger: the bots this application (or, under a
 * webhook, this client ID) sees, filtered by name, code or id.
 */
export async function searchBots(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const portal = await lookupPortal(this);
	const result = await lookupCall(this, portal, { method: 'imbot.bot.list', params: {} });
	const results: INodeListSearchItems[] = botsFromList(result)
		.filter((bot) => matchesFilter(filter, bot.name, bot.code, String(bot.botId)))
		.map((bot) => ({ name: bot.name || bot.code, value: String(bot.botId) }));
	return { results };
}
