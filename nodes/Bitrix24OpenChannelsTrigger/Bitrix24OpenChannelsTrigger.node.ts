import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	answer,
	answerRepeat,
	bindEvent,
	callInBackground,
	claimNewDeliveries,
	deliveryConfirmation,
	eventsSubtitle,
	forgetPin,
	handlersBoundTo,
	hookError,
	isTestActivation,
	matchesConnectorFilter,
	OPEN_CHANNELS_EVENTS,
	openChannelsItems,
	receiveEvent,
	startRun,
	triggerState,
	unbindEvent,
} from '../Bitrix24/events';
import { shortNotice } from '../Bitrix24/fields/notice';
import { connectorLocatorProperty, lineLocatorProperty } from '../Bitrix24/fields/openChannels';
import { searchConnectors, searchLines } from '../Bitrix24/lookups';
import { oauth2Credentials, oauth2OnlyAuthentication, oauth2Portal, webhookSavedNotice } from './authentication';

export class Bitrix24OpenChannelsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 Open Channels Trigger',
		name: 'bitrix24OpenChannelsTrigger',
		icon: { light: 'file:bitrix24OpenChannelsTrigger.svg', dark: 'file:bitrix24OpenChannelsTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventsSubtitle(OPEN_CHANNELS_EVENTS),
		description: 'Bring any messenger into Bitrix24 Open Channels (open lines, live chat, support) and manage lines, sessions and operators. The trigger starts the workflow when an operator replies through your connector or a dialog starts or ends: choose it for your own connector with a public n8n address; for a bot that answers customers choose the Chatbot Trigger.',
		defaults: { name: 'Bitrix24 Open Channels Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: oauth2Credentials,
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			oauth2OnlyAuthentication,
			webhookSavedNotice,
			shortNotice('notice', 'Answers at once; Bitrix24 must reach n8n at a public address. No public address? Use the Bitrix24 Open Channels Fetch Trigger.', 'triggers.md', { authentication: ['oAuth2'] }),
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['ONIMCONNECTORMESSAGEADD'],
				options: OPEN_CHANNELS_EVENTS,
				description: 'The events to subscribe to with event.bind. All of them need an app (OAuth2); the open-line events (sessions, open-line messages) reach it only for its own connector.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Confirm Delivery',
						name: 'confirmDelivery',
						type: 'boolean',
						default: true,
						description:
							'Whether to confirm received operator messages with imconnector.send.status.delivery right after the event is accepted (one call per event). Without it the operator sees them as not delivered until you confirm them yourself.',
					},
					{
						...connectorLocatorProperty,
						required: false,
						description: 'Only events of this connector. Events without a connector (Line Deleted) are not filtered by it.',
					},
					{
						...lineLocatorProperty,
						required: false,
						description: 'Only events of this Open Channel (line)',
					},
				],
			},
		],
	};

	methods = {
		listSearch: { searchConnectors, searchLines },
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const portal = await oauth2Portal(this, 'event.get');
				const handler = this.getNodeWebhookUrl('default') as string;
				const wanted = this.getNodeParameter('events', []) as string[];
				try {
					const bound = new Set((await handlersBoundTo(this, portal, handler)).map((b) => b.event));
					if (bound.size !== wanted.length || !wanted.every((event) => bound.has(event))) return false;
					const state = triggerState(this);
					state.boundEvents = wanted.map((event) => ({ event, handler }));
					state.boundInTest = isTestActivation(this);
					return true;
				} catch (error) {
					throw hookError(this, error, portal);
				}
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const portal = await oauth2Portal(this, 'event.bind');
				const handler = this.getNodeWebhookUrl('default') as string;
				const wanted = this.getNodeParameter('events', []) as string[];
				const state = triggerState(this);
				try {
					const bound = await handlersBoundTo(this, portal, handler);
					for (const binding of bound) {
						if (!wanted.includes(binding.event)) await unbindEvent(this, portal, binding);
					}
					const already = new Set(bound.map((b) => b.event));
					for (const event of wanted) {
						if (!already.has(event)) await bindEvent(this, portal, { event, handler });
					}
				} catch (error) {
					throw hookError(this, error, portal);
				}
				state.boundEvents = wanted.map((event) => ({ event, handler }));
				state.boundInTest = isTestActivation(this);
				if (!state.boundInTest) forgetPin(this);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				// a webhook credential cannot have bound anything: nothing to undo
				if (this.getNodeParameter('authentication', 'oAuth2') !== 'oAuth2') return true;
				const portal = await oauth2Portal(this, 'event.unbind');
				const handler = this.getNodeWebhookUrl('default') as string;
				const state = triggerState(this);
				try {
					const bound = await handlersBoundTo(this, portal, handler);
					const remembered = (state.boundEvents ?? []).filter((b) => !bound.some((x) => x.event === b.event && x.handler === b.handler));
					for (const binding of [...bound, ...remembered]) await unbindEvent(this, portal, binding);
				} catch (error) {
					throw hookError(this, error, portal);
				}
				const testRun = state.boundInTest === true;
				delete state.boundEvents;
				delete state.boundInTest;
				if (!testRun) forgetPin(this);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const reception = await receiveEvent(this, this.getNodeParameter('events', []) as string[]);
		if (reception.kind === 'answered') return reception.response;
		const { received, portal } = reception;
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const connector = options.connector ? String(this.getNodeParameter('options.connector', '', { extractValue: true }) ?? '') : '';
		const line = options.line ? String(this.getNodeParameter('options.line', '', { extractValue: true }) ?? '') : '';
		if (!matchesConnectorFilter(received, connector.trim(), line.trim())) {
			return answer(this, 200, { result: 'ignored', reason: 'The event is for another connector or line.' });
		}
		const all = openChannelsItems(received);
		const items = all.length ? claimNewDeliveries(this, received, all) : all;
		if (all.length && !items.length) return answerRepeat(this, received.event);
		if (options.confirmDelivery !== false) {
			const call = deliveryConfirmation(received);
			if (call) void callInBackground(this, portal, call);
		}
		return startRun(this, items);
	}
}
