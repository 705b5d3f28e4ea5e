import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { lookupCall, lookupPortal, matchesFilter } from '../../Bitrix24/lookups/portal';

/** Dropdowns of version 2: the bots (imbot.v2.Bot.list) and the chosen bot's commands (imbot.v2.Command.list). */

/** What the empty bot list says: how to get a bot. */
export const NO_BOTS_YET = 'No bots yet: set Bot to "Create on Activation" in a Chatbot Trigger, or use Chatbot → Bot → Register';

/**
 * The bots of this credential by the names people see: Bot.list gives the bots (id, code) and, beside them, their
 * users (id = the bot's id, name); the code is shown only when a bot has no name.
 */
export async function searchBotsV2(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const portal = await lookupPortal(this);
	const result = (await lookupCall(this, portal, { method: 'imbot.v2.Bot.list', params: { limit: 50 } })) as IDataObject | undefined;
	const bots = ((result?.bots ?? []) as IDataObject[]).filter((bot) => bot && bot.id !== undefined);
	const users = ((result?.users ?? []) as IDataObject[]).filter((user) => user && user.id !== undefined);
	const nameOf = (id: string) => String(users.find((user) => String(user.id) === id)?.name ?? '');
	if (!bots.length && !filter) return { results: [{ name: NO_BOTS_YET, value: '' }] };
	const results: INodeListSearchItems[] = bots
		.map((bot) => ({ id: String(bot.id), code: String(bot.code ?? ''), name: nameOf(String(bot.id)) }))
		.filter((bot) => matchesFilter(filter, bot.name, bot.code, bot.id))
		.map((bot) => ({ name: bot.name || bot.code, value: bot.id }));
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
