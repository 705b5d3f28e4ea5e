import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { FieldError } from '../../../Bitrix24/operations';
import type { ItemContext } from '../../../Bitrix24/operations';
import { callMethod } from '../../../Bitrix24/transport';

/**
 * A keyboard's command button runs a command of the keyboard's bot: Bitrix24 delivers the click (ONIMBOTV2COMMANDADD)
 * only for a command registered for that bot, so a button naming any other command does nothing when clicked, and
 * nobody is told. Version 2 can list a bot's commands (imbot.v2.Command.list), so such a button is refused before
 * sending — one list per bot per execution, however many items.
 */

const listed = new WeakMap<IExecuteFunctions, Map<number, Promise<Set<string>>>>();

function commandNames(result: unknown): Set<string> {
	const commands = ((result as IDataObject | undefined)?.commands ?? []) as IDataObject[];
	return new Set(commands.map((c) => String(c?.command ?? '').replace(/^\//, '').toLowerCase()).filter(Boolean));
}

function registeredCommands(item: ItemContext, botId: number): Promise<Set<string>> {
	let perBot = listed.get(item.ctx);
	if (!perBot) listed.set(item.ctx, (perBot = new Map()));
	let names = perBot.get(botId);
	if (!names) {
		names = callMethod(item.ctx, item.portal, { method: 'imbot.v2.Command.list', params: { botId }, write: false }).then((envelope) => commandNames(envelope.result));
		perBot.set(botId, names);
	}
	return names;
}

/** The COMMAND of each command button of a keyboard (object with BUTTONS, or a bare array). */
function buttonCommands(keyboard: unknown): string[] {
	const buttons = Array.isArray(keyboard) ? keyboard : (keyboard as IDataObject | undefined)?.BUTTONS;
	if (!Array.isArray(buttons)) return [];
	return buttons
		.map((button) => (button && typeof button === 'object' ? (button as IDataObject).COMMAND : undefined))
		.filter((command): command is string => typeof command === 'string' && command !== '');
}

/** Refuses an item whose keyboard has a command button the bot does not have (a FieldError: no call for this item). */
export async function checkRegisteredCommands(params: IDataObject, item: ItemContext): Promise<IDataObject> {
	const wanted = buttonCommands((params.fields as IDataObject | undefined)?.keyboard);
	const botId = Number(params.botId);
	if (!wanted.length || !Number.isInteger(botId)) return params;
	let names: Set<string>;
	try {
		names = await registeredCommands(item, botId);
	} catch (error) {
		// cannot check (the list was refused): the send itself will say what is wrong with the bot or credential
		item.ctx.logger.warn(`Bitrix24 Chatbot: could not list bot ${botId}'s commands to check the keyboard: ${error instanceof Error ? error.message : String(error)}`);
		return params;
	}
	const missing = [...new Set(wanted.filter((command) => !names.has(command.replace(/^\//, '').toLowerCase())))];
	if (missing.length) {
		const have = names.size ? `its commands: ${[...names].map((n) => `/${n}`).join(', ')}` : 'it has no commands';
		throw new FieldError(
			`Keyboard: bot ${botId} has no command ${missing.map((m) => `"${m}"`).join(', ')} (imbot.v2.Command.list; ${have}). A click on that button would do nothing. Register it with Command → Register, or name one of the bot's commands`,
		);
	}
	return params;
}
