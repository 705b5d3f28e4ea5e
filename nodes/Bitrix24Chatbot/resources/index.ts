import type { ResourceSpec } from '../../Bitrix24/operations';
import { botResource } from './bot';
import { chatResource } from './chat';
import { commandResource } from './command';
import { messageResource } from './message';
import { openLinesResource } from './openLines';

/** The Chatbot node's resources, in the order of the Resource dropdown's default (Message first). */
export const chatbotResources: ResourceSpec[] = [messageResource, botResource, chatResource, commandResource, openLinesResource];
