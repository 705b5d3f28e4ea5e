import type { IDataObject, IHookFunctions, INodeProperties, IPollFunctions, ITriggerFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { validators } from '../operations';
import type { Portal } from '../transport';
import { callMethod } from '../transport';
import { hookError, isBitrixError } from './hookSupport';

/**
 * Where a v2 chatbot trigger gets its bot: picked from the list, or created on activation (imbot.v2.Bot.register with
 * the trigger's own credential, as the v1 trigger does), found by its code on later activations.
 */

export const BOT_SOURCE_CREATE = 'create';

export interface BotV2Choice {
	botId: number;
	/** The bot was registered by this activation. */
	created: boolean;
	/** The bot's eventMode before this activation ('fetch' | 'webhook'). */
	eventMode: string;
	name: string;
}

/** The "Bot" choice and the fields of "Create on Activation"; `botField` is the From List locator. */
export function botV2SourceProperties(botField: INodeProperties, typeOptions: INodeProperties['options']): INodeProperties[] {
	const create = { show: { botSource: [BOT_SOURCE_CREATE] } };
	return [
		{
			displayName: 'Bot',
			name: 'botSource',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'From List', value: 'existing', description: 'A bot that already exists' },
				{ name: 'Create on Activation', value: BOT_SOURCE_CREATE, description: 'This trigger registers the bot (or finds it by its code) when you test or publish it' },
			],
			default: 'existing',
		},
		{ ...botField, displayName: 'Existing Bot', displayOptions: { show: { botSource: ['existing'] } } },
		{
			displayName: 'Bot Code',
			name: 'botCode',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. support_bot',
			description: 'A code unique on the portal; the bot with this code is used if it exists',
			displayOptions: create,
		},
		{
			displayName: 'Bot Name',
			name: 'botName',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. Support',
			description: 'The name people see in the chat',
			displayOptions: create,
		},
		{ displayName: 'Bot Type', name: 'botType', type: 'options', options: typeOptions, default: 'bot', displayOptions: create },
	];
}

function botOfResult(result: unknown): IDataObject {
	return (((result as IDataObject | undefined)?.bot as IDataObject | undefined) ?? {}) as IDataObject;
}

function nameOfResult(result: unknown, botId: number, fallback: string): string {
	const users = ((result as IDataObject | undefined)?.users ?? []) as IDataObject[];
	const user = users.find((u) => String(u?.id) === String(botId));
	return String(user?.name ?? '') || fallback;
}

/** The bot chosen under Existing Bot: a whole number of at least 1, else an error that says what to do. */
export function chosenBotId(ctx: IHookFunctions | IPollFunctions | ITriggerFunctions): number {
	const given = ctx.getNodeParameter('botId', '', { extractValue: true });
	if (String(given ?? '').trim() === '') throw new NodeOperationError(ctx.getNode(), 'No bot chosen: pick one under Existing Bot, or set Bot to "Create on Activation".');
	try {
		return validators.toInteger(given, 1, 'Bot');
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `${(error as Error).message}: pick the bot from the list, or enter its number.`);
	}
}

/**
 * The trigger's bot: the chosen one (looked up for its event mode), or the one with Bot Code, registered now when it
 * does not exist (in fetch mode; the trigger then sets the mode it needs).
 */
export async function resolveBotV2(ctx: IHookFunctions | IPollFunctions | ITriggerFunctions, portal: Portal): Promise<BotV2Choice> {
	const node = ctx.getNode();
	if (ctx.getNodeParameter('botSource', 'existing') !== BOT_SOURCE_CREATE) {
		const botId = chosenBotId(ctx);
		const got = await callMethod(ctx, portal, { method: 'imbot.v2.Bot.get', params: { botId }, write: false });
		return { botId, created: false, eventMode: String(botOfResult(got.result).eventMode ?? ''), name: nameOfResult(got.result, botId, `bot ${botId}`) };
	}
	const code = String(ctx.getNodeParameter('botCode', '')).trim();
	const name = String(ctx.getNodeParameter('botName', '')).trim();
	if (!code) throw new NodeOperationError(node, 'Bot Code is empty: enter a code for the bot to create (e.g. support_bot).');
	try {
		const got = await callMethod(ctx, portal, { method: 'imbot.v2.Bot.get', params: { code }, write: false });
		const bot = botOfResult(got.result);
		const botId = Number(bot.id);
		if (bot.eventMode === undefined) {
			throw new NodeOperationError(node, `The bot code "${code}" belongs to another application or credential: choose another Bot Code.`);
		}
		return { botId, created: false, eventMode: String(bot.eventMode), name: nameOfResult(got.result, botId, name || code) };
	} catch (error) {
		if (!isBitrixError(error, 'BOT_NOT_FOUND')) throw hookError(ctx, error, portal);
	}
	if (!name) throw new NodeOperationError(node, `Bot Name is empty: enter the name people will see for the new bot "${code}".`);
	const type = String(ctx.getNodeParameter('botType', 'bot'));
	const fields: IDataObject = { code, type, eventMode: 'fetch', properties: { name } };
	if (type === 'openline') fields.isSupportOpenline = 'Y';
	const registered = await callMethod(ctx, portal, { method: 'imbot.v2.Bot.register', params: { fields }, write: true });
	const botId = Number(botOfResult(registered.result).id);
	return { botId, created: true, eventMode: 'fetch', name };
}
