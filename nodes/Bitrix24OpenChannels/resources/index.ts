import type { ResourceSpec } from '../../Bitrix24/operations';
import { chatResource } from './chat';
import { connectorResource } from './connector';
import { crmResource } from './crm';
import { lineResource } from './line';
import { messageResource } from './message';
import { networkResource } from './network';
import { operatorResource } from './operator';
import { quickAnswerResource } from './quickAnswer';
import { sessionResource } from './session';

/** The Open Channels node's resources, in the order of the Resource dropdown's default (Connector first). */
export const openChannelsResources: ResourceSpec[] = [
	connectorResource,
	messageResource,
	chatResource,
	lineResource,
	sessionResource,
	operatorResource,
	crmResource,
	quickAnswerResource,
	networkResource,
];
