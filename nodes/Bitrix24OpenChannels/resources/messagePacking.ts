import type { IDataObject } from 'n8n-workflow';

import type { PackSpec } from '../../Bitrix24/operations';

/**
 * Packing many items into the MESSAGES array of one imconnector call (at most 50 per call, one connector + line per
 * call), and giving each message's answer back to its own item: a per-message failure inside a 200 is that item's
 * error only.
 */

export const MESSAGES_PER_CALL = 50;

function asObject(value: unknown): IDataObject {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};
}

function element(params: IDataObject): IDataObject {
	return asObject((params.MESSAGES as unknown[] | undefined)?.[0]);
}

function text(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'object') {
		const v = value as IDataObject;
		const parts = [v.code, v.message ?? v.error_description ?? v.error].filter((p) => p !== undefined && p !== '');
		return parts.length ? parts.map(String).join(': ') : JSON.stringify(value);
	}
	return String(value);
}

/** ERRORS of one RESULT element (strings, objects or a map) as one sentence. */
export function errorsText(errors: unknown): string {
	if (Array.isArray(errors)) return errors.map(text).filter(Boolean).join('; ');
	if (errors && typeof errors === 'object') return Object.values(errors).map(text).filter(Boolean).join('; ');
	return text(errors);
}

/** The identity of an item's message, as the user gave it. */
function identity(params: IDataObject): IDataObject {
	const el = element(params);
	const message = asObject(el.message);
	const out: IDataObject = {
		connector: params.CONNECTOR as string,
		line: params.LINE as number,
		externalMessageId: (message.id as string) ?? '',
		externalChatId: (asObject(el.chat).id as string) ?? '',
	};
	const userId = asObject(el.user).id;
	if (userId !== undefined) out.externalUserId = userId as string;
	return out;
}

type Unpacked = ReturnType<PackSpec['unpack']>;

/** send / update / delete: `{SUCCESS, DATA: {RESULT: [{user, message, chat, SUCCESS, ERRORS?, session?}]}}`. */
function unpackResultList(result: unknown, position: number, params: IDataObject, withSession: boolean): Unpacked {
	const body = asObject(result);
	const rows = asObject(body.DATA).RESULT;
	const row = Array.isArray(rows) ? asObject(rows[position]) : {};
	if (!Array.isArray(rows) || rows[position] === undefined) {
		const why = body.SUCCESS === false && body.ERRORS !== undefined ? errorsText(body.ERRORS) : 'the answer holds no result for this message';
		return { error: `Bitrix24 did not accept this message: ${why}`, code: 'MESSAGE_NOT_ACCEPTED' };
	}
	if (row.SUCCESS !== true) {
		const why = errorsText(row.ERRORS) || 'no reason given';
		return { error: `Bitrix24 did not accept this message: ${why}`, code: 'MESSAGE_NOT_ACCEPTED' };
	}
	const json: IDataObject = identity(params);
	if (row.user !== undefined && row.user !== '') json.bitrixUserId = Number(row.user);
	if (withSession) {
		const session = asObject(row.session);
		json.chatId = session.CHAT_ID !== undefined ? Number(session.CHAT_ID) : null;
		json.sessionId = session.ID !== undefined ? Number(session.ID) : null;
	}
	json.success = true;
	return { json };
}

/** send.status.delivery / reading: `{SUCCESS: true, DATA: []}` for the whole call. */
function unpackStatus(result: unknown, params: IDataObject, flag: 'delivered' | 'read'): Unpacked {
	const body = asObject(result);
	if (body.SUCCESS === false) {
		return { error: `Bitrix24 did not accept the status: ${errorsText(body.ERRORS) || 'no reason given'}`, code: 'STATUS_NOT_ACCEPTED' };
	}
	const el = element(params);
	const im = asObject(el.im);
	const ids = asObject(el.message).id;
	return {
		json: {
			connector: params.CONNECTOR as string,
			line: params.LINE as number,
			externalChatId: asObject(el.chat).id as string,
			externalMessageIds: (Array.isArray(ids) ? ids : []) as string[],
			bitrixChatId: im.chat_id as number,
			bitrixMessageId: im.message_id as number,
			[flag]: true,
		},
	};
}

function pack(unpack: PackSpec['unpack']): PackSpec {
	return {
		arrayParam: 'MESSAGES',
		max: MESSAGES_PER_CALL,
		groupKey: (params) => `${String(params.CONNECTOR)}|${String(params.LINE)}`,
		unpack,
	};
}

export const sendPack = pack((result, position, params) => unpackResultList(result, position, params, true));
export const updatePack = pack((result, position, params) => unpackResultList(result, position, params, false));
export const deliveryPack = pack((result, _position, params) => unpackStatus(result, params, 'delivered'));
export const readingPack = pack((result, _position, params) => unpackStatus(result, params, 'read'));
