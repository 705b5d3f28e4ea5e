/* Trigger canvas subtitles show the chosen events by their UI names; v1 chatbot and connector items carry plain text. */
import { CHATBOT_EVENTS, chatbotItem, eventsSubtitle, OPEN_CHANNELS_EVENTS } from '../../../nodes/Bitrix24/events';

function evaluate(subtitle: string, events: string[]): string {
	const inner = subtitle.replace(/^=\{\{/, '').replace(/\}\}$/, '');
	// eslint-disable-next-line @typescript-eslint/no-implied-eval
	return new Function('$parameter', `return ${inner};`)({ events }) as string;
}

describe('trigger subtitles', () => {
	test('chatbot v1: UI names instead of ONIMBOT… codes', () => {
		const text = evaluate(eventsSubtitle(CHATBOT_EVENTS), ['ONIMBOTMESSAGEADD', 'ONIMCOMMANDADD']);
		expect(text).not.toMatch(/ONIM/);
		const names = CHATBOT_EVENTS.filter((o) => ['ONIMBOTMESSAGEADD', 'ONIMCOMMANDADD'].includes(String(o.value))).map((o) => o.name);
		expect(text.split(', ').sort()).toEqual(names.sort());
	});

	test('open channels: UI names; an unknown code shows as it is; none chosen shows nothing', () => {
		expect(evaluate(eventsSubtitle(OPEN_CHANNELS_EVENTS), ['ONIMCONNECTORMESSAGEADD'])).toBe('Operator Message Sent');
		expect(evaluate(eventsSubtitle(OPEN_CHANNELS_EVENTS), ['ONSOMETHINGNEW'])).toBe('ONSOMETHINGNEW');
		expect(evaluate(eventsSubtitle(OPEN_CHANNELS_EVENTS), [])).toBe('');
	});
});

describe('plain text beside BB-code text', () => {
	test('a v1 message event item has message.plainText', () => {
		const item = chatbotItem({
			event: 'ONIMBOTMESSAGEADD',
			data: { PARAMS: { MESSAGE: '[b]Anna Admin:[/b] [br]Hello [URL=https://x.test]there[/URL]', DIALOG_ID: '27', MESSAGE_ID: '5' }, BOT: { 39: { BOT_ID: '39' } } },
		} as never);
		expect((item.message as { text: string; plainText: string }).plainText).toBe('Anna Admin: \nHello there');
		expect((item.message as { text: string }).text).toBe('[b]Anna Admin:[/b] [br]Hello [URL=https://x.test]there[/URL]');
	});
});
