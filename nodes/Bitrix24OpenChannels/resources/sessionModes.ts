import type { IDataObject } from 'n8n-workflow';

import { encoders } from '../../Bitrix24/operations';
import type { FieldSpec, OperationSpec } from '../../Bitrix24/operations';
import { ACTS_AS_USER_NOTICE, mustBeTrue } from './openLinesFields';

/** Session modes (bitrix24-api.md §3.2): imopenlines.session.mode.pin / pinAll / unpinAll / silent. */

function sessionIds(result: unknown): number[] {
	const list = Array.isArray(result) ? result : result && typeof result === 'object' ? Object.values(result) : [];
	return list.map(Number).filter((id) => Number.isInteger(id) && id > 0);
}

export function sessionModeOperations(chatId: FieldSpec): OperationSpec[] {
	return [
		{
			value: 'pin',
			name: 'Pin',
			action: 'Pin or unpin a dialog',
			description: 'Pin a dialog to the credential\'s user so it is not passed on, or unpin it (imopenlines.session.mode.pin)',
			method: 'imopenlines.session.mode.pin',
			notice: ACTS_AS_USER_NOTICE,
			fields: [
				chatId,
				{
					property: { displayName: 'Pin', name: 'pin', type: 'boolean', default: true, description: 'Whether to pin (ACTIVATE=Y) or unpin (ACTIVATE=N) the dialog' },
					param: 'ACTIVATE',
					encode: encoders.yesNo,
				},
			],
			output: (result, params) => {
				mustBeTrue('imopenlines.session.mode.pin', `Chat ${String(params.CHAT_ID)}: the pin was not changed`)(result);
				return { chatId: params.CHAT_ID as number, pinned: params.ACTIVATE === 'Y' };
			},
		},
		{
			value: 'pinAll',
			name: 'Pin All',
			action: 'Pin all my dialogs',
			description: 'Pin every open dialog of the credential\'s user; returns the pinned session IDs (imopenlines.session.mode.pinAll)',
			method: 'imopenlines.session.mode.pinAll',
			notice: ACTS_AS_USER_NOTICE,
			fields: [],
			output: (result): IDataObject => ({ sessionIds: sessionIds(result), pinned: true }),
		},
		{
			value: 'unpinAll',
			name: 'Unpin All',
			action: 'Unpin all my dialogs',
			description: 'Unpin every pinned dialog of the credential\'s user; returns the unpinned session IDs (imopenlines.session.mode.unpinAll)',
			method: 'imopenlines.session.mode.unpinAll',
			notice: ACTS_AS_USER_NOTICE,
			fields: [],
			output: (result): IDataObject => ({ sessionIds: sessionIds(result), pinned: false }),
		},
		{
			value: 'setSilent',
			name: 'Set Silent Mode',
			action: 'Turn silent mode of a dialog on or off',
			description: 'Turn the silent messaging mode of a dialog on or off (imopenlines.session.mode.silent)',
			method: 'imopenlines.session.mode.silent',
			notice: ACTS_AS_USER_NOTICE,
			fields: [
				chatId,
				{
					property: { displayName: 'Silent', name: 'silent', type: 'boolean', default: true, description: 'Whether silent mode is on (ACTIVATE=Y) or off (ACTIVATE=N)' },
					param: 'ACTIVATE',
					encode: encoders.yesNo,
				},
			],
			output: (result, params) => {
				mustBeTrue('imopenlines.session.mode.silent', `Chat ${String(params.CHAT_ID)}: silent mode was not changed`)(result);
				return { chatId: params.CHAT_ID as number, silent: params.ACTIVATE === 'Y' };
			},
		},
	];
}
