import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { FieldError, validators } from '../../Bitrix24/operations';
import type { FieldSpec } from '../../Bitrix24/operations';
import type { Entry } from './entryActions';
import { actionOf, actionProperties, checkJsonEntry, CONTEXTS, setYesNo } from './entryActions';
import type { RichMode } from './richContent';
import { entriesOf, richContentField } from './richContent';

/** MENU, extra items of a message's context menu (bitrix24-api.md §6.4): {ITEMS:[…]}, or JSON. */


const menuOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{ displayName: 'Context', name: 'context', type: 'options', options: CONTEXTS, default: 'ALL', description: 'Where the item is shown (CONTEXT)' },
		{ displayName: 'Disabled', name: 'disabled', type: 'boolean', default: false, description: 'Whether the item is shown disabled (DISABLED)' },
	],
};

export function buildMenu(items: Entry[]): IDataObject {
	if (items.length === 0) throw new FieldError('"Menu → Items" needs at least one item');
	return {
		ITEMS: items.map((entry, index) => {
			const item = actionOf(entry, `Menu → Item ${index + 1}`);
			const options = entry.options ?? {};
			setYesNo(item, 'DISABLED', options, 'disabled');
			if (options.context) item.CONTEXT = options.context;
			return item;
		}),
	};
}

/** A menu given as JSON: {ITEMS:[…]} or a bare array of items, each checked, sent as typed. */
export function menuFromJson(value: unknown): unknown {
	const parsed = validators.parseJsonField(value, 'Menu (JSON)', 'an object {"ITEMS": [...]} or an array of items');
	const items = Array.isArray(parsed) ? parsed : (parsed as IDataObject).ITEMS;
	if (!Array.isArray(items)) throw new FieldError('"Menu (JSON)" must have an ITEMS array (or be an array of items)');
	items.forEach((item, index) => checkJsonEntry(item, `Menu (JSON) → item ${index + 1}`));
	return parsed;
}

/** Menu: none / keep, built from items, JSON, or (update) remove. */
export function menuField(mode: RichMode): FieldSpec {
	return richContentField(mode, {
		thing: 'menu',
		name: 'menuSource',
		displayName: 'Menu',
		param: 'MENU',
		description: "Extra items in the message's context menu (MENU)",
		builder: [
			{
				property: {
					displayName: 'Menu Items',
					name: 'menuItems',
					type: 'fixedCollection',
					typeOptions: { multipleValues: true, sortable: true },
					placeholder: 'Add Menu Item',
					default: {},
					options: [{ displayName: 'Item', name: 'item', values: [...actionProperties(false), menuOptions] }],
				},
			},
		],
		json: {
			property: {
				displayName: 'Menu (JSON)',
				name: 'menuJson',
				type: 'json',
				default: '{\n  "ITEMS": [\n    { "TEXT": "Help", "COMMAND": "help" }\n  ]\n}',
				description: 'MENU as Bitrix24 expects it: {"ITEMS": [...]} or an array of items',
			},
		},
		build: (values) => buildMenu(entriesOf(values.menuItems, 'item') as Entry[]),
		fromJson: menuFromJson,
	});
}
