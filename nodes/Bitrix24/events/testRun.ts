import type { IDataObject, IHookFunctions, INodeProperties } from 'n8n-workflow';

/**
 * "Test this trigger": n8n registers the node's webhooks once more, at its test URL (…/webhook-test/…), with
 * activation mode 'manual' and a static data of the test's own (the published workflow's static data is neither seen
 * nor changed); when the test ends it calls delete() with that test static data. A test run must never take events
 * away from a published workflow, so a trigger asks these questions before it repoints anything.
 */

/** n8n's default path segments of production and test webhook URLs (N8N_ENDPOINT_WEBHOOK / _TEST). */
const TEST_SEGMENT = '/webhook-test/';
const PRODUCTION_SEGMENT = '/webhook/';

/** True while n8n registers the webhooks of a test run ("Test this trigger", activation mode 'manual'). */
export function isTestActivation(ctx: IHookFunctions): boolean {
	return ctx.getActivationMode() === 'manual';
}

/**
 * The production URL of the node whose test URL this is (…/webhook-test/<id>/webhook → …/webhook/<id>/webhook), or
 * undefined when the URL does not use n8n's default endpoint names.
 */
export function productionUrlOf(testUrl: string): string | undefined {
	const at = testUrl.lastIndexOf(TEST_SEGMENT);
	if (at < 0) return undefined;
	return `${testUrl.slice(0, at)}${PRODUCTION_SEGMENT}${testUrl.slice(at + TEST_SEGMENT.length)}`;
}

/** The Chatbot Trigger option that lets a test run take a bot that may be in use. */
export const TEST_RUN_OPTION = 'testRunTakesBot';

export function testRunTakesBot(ctx: IHookFunctions): boolean {
	return (ctx.getNodeParameter('options', {}) as IDataObject)[TEST_RUN_OPTION] === true;
}

/** The option, with the version's own words on what it does (v1 and v2 can see different things). */
export function testRunOption(description: string): INodeProperties {
	return { displayName: 'Let Test Runs Take the Bot', name: TEST_RUN_OPTION, type: 'boolean', default: false, description };
}

/** What a refused test run tells the user to do instead. */
export const TEST_RUN_ALTERNATIVES =
	'To test, use a second bot (a test bot), or publish the workflow and look at its executions';

/** The Telegram-style notice: a bot has one handler, so one trigger per bot at a time. */
export function oneTriggerPerBotNotice(detail: string): INodeProperties {
	return {
		displayName: `A bot sends its events to one URL: use one active Chatbot Trigger per bot at a time. ${detail}`,
		name: 'oneTriggerPerBot',
		type: 'notice',
		default: '',
	};
}
