import type { IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { BotHandlersState } from '../Bitrix24/events';
import { BOT_HANDLER_FIELD, idList, productionUrlOf, TEST_RUN_ALTERNATIVES } from '../Bitrix24/events';

/** The bot's EVENT_* fields for the chosen events (commands are set per command, not on the bot). */
export function chosenHandlerFields(ctx: IHookFunctions): string[] {
	const events = ctx.getNodeParameter('events', []) as string[];
	return events.map((event) => BOT_HANDLER_FIELD[event]).filter((field): field is string => !!field);
}

/** The chosen COMMAND_IDs (only when Command Run is selected); refuses anything that is not a positive integer. */
export function chosenCommandIds(ctx: IHookFunctions): number[] {
	const events = ctx.getNodeParameter('events', []) as string[];
	if (!events.includes('ONIMCOMMANDADD')) return [];
	const ids = idList(ctx.getNodeParameter('commandIds', ''));
	const bad = ids.filter((id) => !/^[1-9]\d*$/.test(id));
	if (bad.length) {
		throw new NodeOperationError(ctx.getNode(), `Command IDs must be whole numbers above 0, comma-separated (got "${bad.join('", "')}").`);
	}
	if (!ids.length) {
		throw new NodeOperationError(ctx.getNode(), 'Command IDs is empty: "Command Run" needs the IDs of the commands to receive.');
	}
	return [...new Set(ids.map(Number))];
}

/** "Handler URL After Deactivation": '' (clear) or an http(s) URL. */
export function restoreUrlOf(ctx: IHookFunctions): string {
	const options = ctx.getNodeParameter('options', {}) as { restoreUrl?: string };
	const url = String(options.restoreUrl ?? '').trim();
	if (url && !/^https?:\/\/[^\s/]+/i.test(url)) {
		throw new NodeOperationError(ctx.getNode(), `Handler URL After Deactivation must be an http(s) URL (got "${url}").`);
	}
	return url;
}

function sameSet<T>(a: T[], b: T[]): boolean {
	return a.length === b.length && a.every((x) => b.includes(x));
}

/** Whether what was set earlier (static data) is what the node asks for now. */
export function sameHandlers(saved: BotHandlersState, wanted: { handlerUrl: string; fields: string[]; commandIds: number[] }): boolean {
	return (
		saved.handlerUrl === wanted.handlerUrl &&
		wanted.fields.every((f) => saved.fields.includes(f)) &&
		sameSet(saved.commandIds, wanted.commandIds)
	);
}

/** A test run of an existing v1 bot without "Let Test Runs Take the Bot": its handlers cannot be read back. */
export function refuseTestRun(ctx: IHookFunctions, botId: number): NodeOperationError {
	return new NodeOperationError(
		ctx.getNode(),
		`Test run refused: it would point bot ${botId}'s handlers at the test URL, and Bitrix24 (chatbot API v1) cannot show where they point now. If a published workflow answers with this bot, it would stop getting messages.`,
		{
			description: `${TEST_RUN_ALTERNATIVES}. If nothing else uses this bot, or this workflow is the one published with it, switch on Options → Let Test Runs Take the Bot: when the test ends the handlers point at this workflow's production URL.`,
		},
	);
}

/** Where a test run leaves the handlers: this node's production URL (the published workflow, if this is it). */
export function afterTestUrl(ctx: IHookFunctions, testUrl: string): string {
	return productionUrlOf(testUrl) ?? restoreUrlOf(ctx);
}
