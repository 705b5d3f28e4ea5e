import type { IHookFunctions } from 'n8n-workflow';

import type { BotSummary } from '../lookups/bots';
import { botsFromList } from '../lookups/bots';
import type { Portal } from '../transport';
import { callMethod } from '../transport';
import { REQUIRED_HANDLER_FIELDS } from './chatbotEvents';

/** The bots this application (or webhook client ID) sees, parsed by the shared lookup's reader. */
export async function listBots(ctx: IHookFunctions, portal: Portal): Promise<BotSummary[]> {
	const envelope = await callMethod(ctx, portal, { method: 'imbot.bot.list', params: {}, write: false });
	return botsFromList(envelope.result);
}

export interface BotRegistration {
	code: string;
	name: string;
	type: string;
	handlerUrl: string;
}

/** imbot.register with the handler URL in the required EVENT_* fields (REQUIRED_HANDLER_FIELDS, §4.1); returns the new BOT_ID. */
export async function registerBot(ctx: IHookFunctions, portal: Portal, bot: BotRegistration): Promise<number> {
	const envelope = await callMethod(ctx, portal, {
		method: 'imbot.register',
		params: {
			CODE: bot.code,
			TYPE: bot.type,
			...Object.fromEntries(REQUIRED_HANDLER_FIELDS.map((field) => [field, bot.handlerUrl])),
			PROPERTIES: { NAME: bot.name },
		},
		write: true,
	});
	return Number(envelope.result);
}

/** imbot.update: sets each of `fields` (EVENT_*) to `url` ('' detaches). */
export async function pointBotHandlers(ctx: IHookFunctions, portal: Portal, botId: number, fields: string[], url: string): Promise<void> {
	if (!fields.length) return;
	const FIELDS: Record<string, string> = {};
	for (const field of fields) FIELDS[field] = url;
	await callMethod(ctx, portal, { method: 'imbot.update', params: { BOT_ID: botId, FIELDS }, write: true });
}

/** imbot.command.update: sets each command's EVENT_COMMAND_ADD to `url`. */
export async function pointCommandHandlers(ctx: IHookFunctions, portal: Portal, commandIds: number[], url: string): Promise<void> {
	for (const id of commandIds) {
		await callMethod(ctx, portal, { method: 'imbot.command.update', params: { COMMAND_ID: id, FIELDS: { EVENT_COMMAND_ADD: url } }, write: true });
	}
}
