import type { INodePropertyOptions } from 'n8n-workflow';

import type { OperationSpec } from '../../../Bitrix24/operations';
import { botV2Field, dialogIdV2 } from '../fields/common';

/** What users see of the bot while it works: imbot.v2.Chat.InputAction.notify and Chat.TextField.enabled (§5). */

const STATUSES: INodePropertyOptions[] = [
	['Analyzing', 'ANALYZING'],
	['Calculating', 'CALCULATING'],
	['Checking', 'CHECKING'],
	['Composing', 'COMPOSING'],
	['Connecting', 'CONNECTING'],
	['Generating', 'GENERATING'],
	['Processing', 'PROCESSING'],
	['Reading Docs', 'READING_DOCS'],
	['Searching', 'SEARCHING'],
	['Thinking', 'THINKING'],
	['Translating', 'TRANSLATING'],
].map(([name, code]) => ({ name, value: `IMBOT_AGENT_ACTION_${code}` }));

export const chatInterfaceOperations: OperationSpec[] = [
	{
		value: 'showStatus',
		name: 'Show Status',
		action: 'Show what the bot is doing',
		description:
			'Show "typing…" or an AI agent status such as "Agent is thinking..." in a dialog for up to 10 minutes (imbot.v2.Chat.InputAction.notify)',
		method: 'imbot.v2.Chat.InputAction.notify',
		fields: [
			botV2Field,
			dialogIdV2,
			{
				property: {
					displayName: 'Status',
					name: 'statusMessageCode',
					type: 'options',
					options: [{ name: 'Typing', value: 'typing', description: 'The plain "typing…" indicator' }, ...STATUSES],
					default: 'typing',
				},
				param: 'statusMessageCode',
				encode: (value) => (value === 'typing' ? undefined : value),
			},
			{
				property: { displayName: 'Duration (Seconds)', name: 'duration', type: 'number', typeOptions: { minValue: 1, maxValue: 600 }, default: 30, description: 'How long it is shown (1–600 s)' },
				param: 'duration',
			},
		],
		output: (_result, params) => ({ dialogId: params.dialogId as string, status: (params.statusMessageCode as string | undefined) ?? 'typing', shown: true }),
	},
	{
		value: 'setTextField',
		name: 'Enable or Disable Text Field',
		action: 'Enable or disable the text field',
		description: 'Let users type in a dialog, or only press the bot\'s buttons (imbot.v2.Chat.TextField.enabled)',
		method: 'imbot.v2.Chat.TextField.enabled',
		fields: [
			botV2Field,
			dialogIdV2,
			{ property: { displayName: 'Enabled', name: 'enabled', type: 'boolean', default: true, description: 'Whether users can type messages' }, param: 'enabled' },
		],
		output: (_result, params) => ({ dialogId: params.dialogId as string, textFieldEnabled: params.enabled as boolean }),
	},
];
