import type { ResourceSpec } from '../../../Bitrix24/operations';
import { botV2Resource } from './bot';
import { chatV2Resource } from './chat';
import { chatInterfaceOperations } from './chatInterface';
import { commandV2Resource } from './command';
import { fileV2Resource } from './file';
import { messageV2Resource } from './message';
import { openLinesV2Resource } from '../../resources/openLines';
import { revisionOperation } from './revision';

/** Version 2's resources (imbot.v2.*), Message first as the Resource dropdown's default. */
export const chatbotV2Resources: ResourceSpec[] = [
	messageV2Resource,
	{ ...botV2Resource, operations: [...botV2Resource.operations, revisionOperation] },
	{ ...chatV2Resource, operations: [...chatV2Resource.operations, ...chatInterfaceOperations] },
	commandV2Resource,
	fileV2Resource,
	openLinesV2Resource,
];
