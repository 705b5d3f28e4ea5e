import type { INodeProperties } from 'n8n-workflow';

import type { Encoder, FieldSpec } from '../operations/types';
import { FieldError } from '../operations/types';
import { toInteger } from '../operations/validators';

/**
 * Fields of the Open Channels API shared by the Open Channels node and its trigger: the connector (a custom
 * channel type registered with imconnector.register) and the line (an Open Channel, imopenlines.config.*).
 */

/** What Bitrix24 accepts as a connector ID (bitrix24-api.md §2.1: `[a-z0-9_]`, never a dot). */
export const CONNECTOR_ID_PATTERN = /^[a-z0-9_]+$/;

/** A connector ID: trimmed and lower-cased (Bitrix24 lower-cases it too), only a-z, 0-9 and _. */
export const connectorId: Encoder = (value) => {
	const text = String(value ?? '')
		.trim()
		.toLowerCase();
	if (text.includes('.')) {
		throw new FieldError(
			`must not contain a dot (got ${JSON.stringify(value)}): Bitrix24 refuses it with APPLICATION_REGISTRATION_ERROR_POINT; use only a-z, 0-9 and _`,
		);
	}
	if (!CONNECTOR_ID_PATTERN.test(text)) {
		throw new FieldError(`may contain only a-z, 0-9 and _ (got ${JSON.stringify(value)})`);
	}
	return text;
};

/** An Open Channel (line) ID: a positive whole number. */
export const lineId: Encoder = (value) => toInteger(value, 1);

export const connectorLocatorProperty: INodeProperties = {
	displayName: 'Connector',
	name: 'connector',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The connector (custom channel type) registered on the portal',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a connector...',
			typeOptions: { searchListMethod: 'searchConnectors', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. my_whatsapp_connector',
		},
	],
};

export const lineLocatorProperty: INodeProperties = {
	displayName: 'Line',
	name: 'line',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Open Channel (line) in the Contact Center',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a line...',
			typeOptions: { searchListMethod: 'searchLines', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 1',
		},
	],
};

/** The connector, sent as `CONNECTOR` (every imconnector.* method but register/unregister, which take `ID`). */
export function connectorField(param = 'CONNECTOR'): FieldSpec {
	return { property: connectorLocatorProperty, param, encode: connectorId };
}

/** The line, sent as `LINE` (imconnector.*) or `CONFIG_ID` (imopenlines.config.get). */
export function lineField(param = 'LINE'): FieldSpec {
	return { property: lineLocatorProperty, param, encode: lineId };
}
