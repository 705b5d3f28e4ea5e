import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';

import { eventsSubtitle, OPEN_CHANNELS_EVENTS } from '../Bitrix24/events';
import { NAME } from './shared';
import { Bitrix24OpenChannelsFetchTriggerV1 } from './v1/Bitrix24OpenChannelsFetchTriggerV1.node';
import { Bitrix24OpenChannelsFetchTriggerV2 } from './v2/Bitrix24OpenChannelsFetchTriggerV2.node';

/**
 * Bitrix24 Open Channels Fetch Trigger: version 2 reads the offline event queue live (events within seconds) and is
 * what new nodes get; version 1 reads it on n8n's poll schedule and keeps every workflow saved with it unchanged.
 */
export class Bitrix24OpenChannelsFetchTrigger extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: NAME,
			name: 'bitrix24OpenChannelsFetchTrigger',
			icon: { light: 'file:bitrix24OpenChannelsFetchTrigger.svg', dark: 'file:bitrix24OpenChannelsFetchTrigger.dark.svg' },
			group: ['trigger'],
			subtitle: eventsSubtitle(OPEN_CHANNELS_EVENTS),
			description: 'Fetches Bitrix24 Open Channels events (connector, open-line sessions and messages) as offline events: no public URL needed, no event lost while n8n is down',
			defaultVersion: 2,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new Bitrix24OpenChannelsFetchTriggerV1(),
			2: new Bitrix24OpenChannelsFetchTriggerV2(),
		};
		super(nodeVersions, baseDescription);
	}
}
