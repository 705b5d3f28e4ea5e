import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { lookupCall, lookupPortal, matchesFilter } from '../../Bitrix24/lookups/portal';

/** Dropdowns of version 2: the bots (imbot.v2.Bot.list) and the chosen bot's commands (imbot.v2.Command.list). */

export async function searchBotsV2(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const portal = await lookupPortal(this);
	const result = (await lookupCall(this, portal, { method: 'imbot.v2.Bot.list', params: { limit: 50 } })) as IDataObject | undefined;
	const bots = ((result?.bots ?? []) as IDataObject[]).filter((bot) => bot && bot.id !== undefined);
	const results: INodeListSearchItems[] = bots
		.map((bot) => ({ id: String(bot.id), code: String(bot.code ?? ''), name: String(bot.name ?? bot.code ?? '') }))
		.filter((bot) => matchesFilter(filter, bot.name, bot.code, bot.id))
		.map((bot) => ({ name: `${bot.name || bot.code} (${bot.code}, ID ${bot.id})`, value: bot.id }));
	return { results };
}

export async function searchCommandsV2(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const botId = Number(this.getCurrentNodeParameter('botId', { extractValue: true }));
	if (!Number.isInteger(botId) || botId < 1) return { results: [] };
	const portal = await lookupPortal(this);
	const result = (await lookupCall(this, portal, { method: 'imbot.v2.Command.list', params: { botId } })) as IDataObject | undefined;
	const commands = (result?.commands ?? []) as IDataObject[];
	const results: INodeListSearchItems[] = commands
		.filter((command) => matchesFilter(filter, String(command.command ?? ''), String(command.id ?? '')))
		.map((command) => ({ name: `${String(command.command ?? '')} (ID ${String(command.id)})`, value: String(command.id) }));
	return { results };
}
