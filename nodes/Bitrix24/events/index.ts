export { checkApplicationToken, tokenHash, tokenMatchesHash, tokensMatch } from './applicationToken';
export type { TokenCheck } from './applicationToken';
export { listBots, pointBotHandlers, pointCommandHandlers, registerBot } from './botHandlers';
export type { BotRegistration } from './botHandlers';
export { BOT_HANDLER_FIELD, CHATBOT_EVENT_NAMES, CHATBOT_EVENTS, REQUIRED_HANDLER_FIELDS, botOf, chatbotFilterReason, chatbotItem } from './chatbotEvents';
export type { ChatbotFilters } from './chatbotEvents';
export { bindEvent, handlersBoundTo, unbindEvent } from './eventBindings';
export type { EventBinding } from './eventBindings';
export {
	OPEN_CHANNELS_EVENT_NAMES,
	OPEN_CHANNELS_EVENTS,
	connectorAndLine,
	deliveryConfirmation,
	matchesConnectorFilter,
	openChannelsItems,
} from './openChannelsEvents';
export { OPEN_LINES_EVENT_NAMES, OPEN_LINES_EVENTS, isOpenLinesEvent, openLinesConnectorAndLine, openLinesItems } from './openLinesEvents';
export { forgetPin, MAX_WAITING_VERIFICATIONS, pinnedHash, verifyAndPin } from './firstToken';
export type { Verdict } from './firstToken';
export {
	bodyEntries,
	FORM_LIMITS,
	FormLimitError,
	lastValueOf,
	nestEntries,
	nestPhpEntries,
	objectEntries,
	pairCount,
	parsePhpForm,
	rawFormEntries,
	splitPhpKey,
} from './phpForm';
export type { FormEntries, FormLimits, FormObject, FormProblem, FormResult, FormValue } from './phpForm';
export { answer, N8N_FORM_PAIR_LIMIT, readEventBody, readEventEntries, receiveEvent, startRun } from './receive';
export type { Reception, ReceivedEvent } from './receive';
export { triggerState } from './triggerState';
export type { BotHandlersState, TriggerState, V2WebhookState } from './triggerState';
export { compact, flagAt, idAt, idList, listAt, objectAt, textAt } from './values';
export { callInBackground, hookError, hookPortal, isBitrixError, refuseWithoutApplicationToken } from './hookSupport';
export { answerRepeat, claimNewDeliveries } from './replays';
export { CHATBOT_V2_EVENT_NAMES, CHATBOT_V2_EVENTS, chatbotV2Item } from './chatbotV2Events';
export { plainText } from './bbCode';
export type { V2Event } from './chatbotV2Events';
export { DELIVERED_IDS_KEPT, ensureFetchMode, ensureOfflineBindings, fetchState, jsonToFormValue, pollBotQueue, pollOffline } from './fetch';
export type { BotQueueBatch, BotQueueOptions, FetchState, OfflineBatch, OfflineOptions, OfflineRecord } from './fetch';
export { eventsSubtitle } from './subtitle';
export { isTestActivation, oneTriggerPerBotNotice, productionUrlOf, TEST_RUN_ALTERNATIVES, testRunOption, testRunTakesBot } from './testRun';
export { BOT_SOURCE_CREATE, botV2SourceProperties, chosenBotId, resolveBotV2 } from './botV2Source';
export type { BotV2Choice } from './botV2Source';
