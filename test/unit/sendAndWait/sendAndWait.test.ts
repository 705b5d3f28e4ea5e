import type { IDataObject } from 'n8n-workflow';
import { WAIT_INDEFINITELY } from 'n8n-workflow';

import { answerUrlOf, chatAnswerParams, forwardChatAnswer } from '../../../nodes/Bitrix24/events/sendAndWaitAnswer';
import { FieldError } from '../../../nodes/Bitrix24/operations';
import { readConfig } from '../../../nodes/Bitrix24Chatbot/sendAndWait/config';
import { parseFormFields, readFormAnswer } from '../../../nodes/Bitrix24Chatbot/sendAndWait/formFields';
import { formPage, PAGE_CSP } from '../../../nodes/Bitrix24Chatbot/sendAndWait/formPage';
import { answerKeyboard } from '../../../nodes/Bitrix24Chatbot/sendAndWait/keyboard';
import { waitTillOf } from '../../../nodes/Bitrix24Chatbot/sendAndWait/waitTill';

const ORIGIN = 'http://127.0.0.1:5678';
const RESUME = `${ORIGIN}/webhook-waiting/42/0b6c7f43-8f6a-4e0b-b3f7-2a1d5e9c4b02?approved=true&signature=abc123`;

const reader = (values: IDataObject) => (name: string, fallback: unknown) => {
	const path = name.split('.');
	let value: unknown = values;
	for (const key of path) value = value && typeof value === 'object' ? (value as IDataObject)[key] : undefined;
	return value === undefined ? fallback : value;
};

describe('wait limit', () => {
	const now = new Date('2026-12-01T10:00:00Z');
	test('none waits indefinitely; an interval counts from now; a date is taken as given', () => {
		expect(waitTillOf(undefined, now)).toBe(WAIT_INDEFINITELY);
		expect(waitTillOf({ limitType: 'afterTimeInterval', resumeAmount: 90, resumeUnit: 'minutes' }, now).toISOString()).toBe('2026-12-01T11:30:00.000Z');
		expect(waitTillOf({ limitType: 'afterTimeInterval', resumeAmount: 2, resumeUnit: 'days' }, now).toISOString()).toBe('2026-12-03T10:00:00.000Z');
		expect(waitTillOf({ limitType: 'atSpecifiedTime', maxDateAndTime: '2026-12-24T18:00:00Z' }, now).toISOString()).toBe('2026-12-24T18:00:00.000Z');
	});
	test('bad values are field errors naming the field', () => {
		expect(() => waitTillOf({ limitType: 'afterTimeInterval', resumeAmount: -1, resumeUnit: 'hours' })).toThrow(/Amount/);
		expect(() => waitTillOf({ limitType: 'afterTimeInterval', resumeAmount: 1, resumeUnit: 'weeks' })).toThrow(/Unit/);
		expect(() => waitTillOf({ limitType: 'atSpecifiedTime', maxDateAndTime: 'soon' })).toThrow(/Max Date and Time/);
		expect(() => waitTillOf({ limitType: 'atSpecifiedTime' })).toThrow(FieldError);
	});
});

describe('what the person is asked', () => {
	test('approval: one button or approve + decline with their labels; an in-chat command is checked', () => {
		expect(readConfig(reader({ message: 'Pay?' })).buttons).toEqual([{ label: 'Approve', approved: true }]);
		const double = readConfig(reader({ message: 'Pay?', approvalOptions: { values: { approvalType: 'double', approveLabel: 'Yes', disapproveLabel: ' ' } } }));
		expect(double.buttons).toEqual([{ label: 'Yes', approved: true }, { label: 'Decline', approved: false }]);
		expect(readConfig(reader({ message: 'Pay?', options: { chatCommand: '/answer' } })).chatCommand).toBe('answer');
		expect(() => readConfig(reader({ message: 'Pay?', options: { chatCommand: 'an swer' } }))).toThrow(/Answer In Chat With Command/);
		expect(() => readConfig(reader({ message: '  ' }))).toThrow(/"Message" is required/);
		expect(() => readConfig(reader({ message: 'x', responseType: 'vote' }))).toThrow(/Response Type/);
	});
	test('free text and custom form get one button opening the form', () => {
		const text = readConfig(reader({ message: 'Why?', responseType: 'freeText', options: { messageButtonLabel: 'Answer' } }));
		expect(text.buttons).toEqual([{ label: 'Answer', approved: true }]);
		expect(() => readConfig(reader({ message: 'Form', responseType: 'customForm' }))).toThrow(/at least one field/);
	});
	test('the keyboard: LINK buttons with the signed URLs, or COMMAND buttons carrying them for the trigger', () => {
		const urls = (approved: boolean) => `${ORIGIN}/webhook-waiting/1/n?approved=${approved}&signature=s`;
		const buttons = [{ label: 'Yes', approved: true }, { label: 'No', approved: false }];
		const links = answerKeyboard(buttons, urls).BUTTONS as IDataObject[];
		expect(links.map((b) => [b.TEXT, b.LINK, b.BG_COLOR_TOKEN])).toEqual([
			['Yes', urls(true), 'primary'],
			['No', urls(false), 'secondary'],
		]);
		const commands = answerKeyboard(buttons, urls, 'answer').BUTTONS as IDataObject[];
		expect(commands[1]).toMatchObject({ TEXT: 'No', COMMAND: 'answer', COMMAND_PARAMS: `n8n-answer ${urls(false)}`, BLOCK: 'Y' });
		expect(commands[1].LINK).toBeUndefined();
		// with approvers a press by someone not listed is refused: the buttons stay usable for the approver
		const open = answerKeyboard(buttons, urls, 'answer', false).BUTTONS as IDataObject[];
		expect(open.map((b) => b.BLOCK ?? 'N')).toEqual(['N', 'N']);
	});
});

describe('form fields and the form page', () => {
	const fields = parseFormFields([
		{ fieldLabel: 'Nights', fieldType: 'number', requiredField: true },
		{ fieldLabel: 'Room', fieldType: 'dropdown', fieldOptions: 'Single, Double' },
		{ fieldLabel: 'Mail', fieldType: 'email' },
		{ fieldLabel: 'Breakfast', fieldType: 'checkbox' },
	]);
	test('definitions are checked before sending', () => {
		expect(() => parseFormFields([{ fieldLabel: 'A' }, { fieldLabel: 'A' }])).toThrow(/repeats "A"/);
		expect(() => parseFormFields([{ fieldLabel: 'Pick', fieldType: 'dropdown', fieldOptions: ' , ' }])).toThrow(/Choices/);
		expect(() => parseFormFields([{ fieldLabel: 'respondedAt' }])).toThrow(/respondedAt/);
		expect(() => parseFormFields([{ fieldLabel: 'X', fieldType: 'file' }])).toThrow(/Field Type/);
	});
	test('answers are typed and checked; the first problem is named', () => {
		expect(readFormAnswer(fields, { 'field-0': '3', 'field-1': 'Double', 'field-3': 'on' })).toEqual({
			ok: true,
			values: { Nights: 3, Room: 'Double', Mail: '', Breakfast: true },
		});
		// multipart (what the page posts): n8n puts the fields under `data`, values possibly as arrays
		expect(readFormAnswer(fields, { data: { 'field-0': ['7'], 'field-1': 'Single' }, files: {} })).toEqual({ ok: true, values: { Nights: 7, Room: 'Single', Mail: '', Breakfast: false } });
		expect(readFormAnswer(fields, {})).toEqual({ ok: false, problem: '"Nights" is required.' });
		expect(readFormAnswer(fields, { 'field-0': 'two' })).toEqual({ ok: false, problem: '"Nights" must be a number.' });
		expect(readFormAnswer(fields, { 'field-0': '1', 'field-1': 'Suite' })).toMatchObject({ ok: false, problem: expect.stringContaining('one of: Single, Double') });
		expect(readFormAnswer(fields, { 'field-0': '1', 'field-2': 'nope' })).toMatchObject({ ok: false, problem: '"Mail" must be an email address.' });
	});
	test('the page escapes every text, has no script and names each control', () => {
		const evil = parseFormFields([{ fieldLabel: '<script>alert(1)</script>', fieldType: 'text', placeholder: '"><img src=x>' }]);
		const html = formPage({ title: 'T & <b>', description: "It's <i>", button: 'Go' }, evil, 'Bad <input>');
		expect(html).not.toMatch(/<script|<img|<b>|<i>/);
		expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(html).toContain('placeholder="&quot;&gt;&lt;img src=x&gt;"');
		expect(html).toContain('<form method="post" enctype="multipart/form-data">');
		expect(html).toContain('Bad &lt;input&gt;');
		expect(PAGE_CSP).toContain("default-src 'none'");
	});
});

describe('in-chat answers: what the trigger accepts and forwards', () => {
	test('only a waiting webhook of this n8n, with a resume path and a signature', () => {
		const WAITING = { origin: ORIGIN };
		const urlOf = (params: string, waiting: { origin: string; path?: string } = WAITING) => {
			const checked = answerUrlOf(params, waiting);
			return checked && 'url' in checked ? checked.url.toString() : checked;
		};
		expect(urlOf(chatAnswerParams(RESUME))).toBe(RESUME);
		expect(urlOf(chatAnswerParams(RESUME), { origin: ORIGIN, path: '/webhook-waiting' })).toBe(RESUME);
		expect(answerUrlOf(RESUME, WAITING)).toBeUndefined();
		const notOurs = { dropped: 'its URL is not a waiting webhook of this n8n' };
		expect(urlOf(chatAnswerParams(RESUME.replace('127.0.0.1', 'evil.example')))).toEqual(notOurs);
		expect(urlOf(chatAnswerParams(RESUME.replace('&signature=abc123', '')))).toEqual({ dropped: 'its URL carries no signature' });
		expect(urlOf(chatAnswerParams(`${ORIGIN}/rest/workflows?signature=x`))).toEqual(notOurs);
		expect(urlOf(chatAnswerParams(`${ORIGIN}/webhook/abc/def?signature=x`))).toEqual(notOurs);
		expect(urlOf(chatAnswerParams(`${ORIGIN}/webhook-waiting/1/2/3?signature=x`))).toEqual(notOurs);
		expect(urlOf(chatAnswerParams(RESUME), { origin: ORIGIN, path: '/n8n/wait' })).toEqual(notOurs);
		expect(urlOf(chatAnswerParams(RESUME.replace('/webhook-waiting/', '/n8n/wait/')), { origin: ORIGIN, path: '/n8n/wait' })).toBe(RESUME.replace('/webhook-waiting/', '/n8n/wait/'));
		expect(urlOf(chatAnswerParams('javascript:alert(1)'))).toEqual(notOurs);
		expect(urlOf(chatAnswerParams(RESUME.replace('http://', 'http://u:p@')))).toEqual(notOurs);
	});

	function fakeTrigger() {
		const calls: IDataObject[] = [];
		const warnings: string[] = [];
		const ctx = {
			getNodeWebhookUrl: () => `${ORIGIN}/webhook/abc/webhook`,
			logger: { warn: (m: string) => warnings.push(m) },
			helpers: { httpRequest: async (options: IDataObject) => void calls.push(options) },
		};
		return { ctx: ctx as never, calls, warnings };
	}

	test('an answer is POSTed to the resume URL with who answered where; an ordinary command is left alone', async () => {
		const { ctx, calls } = fakeTrigger();
		const item = { botId: 7, dialogId: '2', user: { id: 2, name: 'Boris Becker' }, command: { id: 3, name: 'answer', params: chatAnswerParams(RESUME), messageId: 99 } };
		expect(await forwardChatAnswer(ctx, item)).toEqual({ forwarded: true });
		expect(calls).toEqual([{ method: 'POST', url: RESUME, json: true, disableFollowRedirect: true, ignoreHttpStatusErrors: true, returnFullResponse: true, body: { bitrix24ChatAnswer: { botId: 7, dialogId: '2', messageId: 99, userId: 2, userName: 'Boris Becker' } } }]);
		expect(await forwardChatAnswer(ctx, { command: { params: 'status please' } })).toBe(false);
		expect(calls).toHaveLength(1);
	});

	test('an answer pointing elsewhere is consumed and never sent', async () => {
		const { ctx, calls, warnings } = fakeTrigger();
		expect(await forwardChatAnswer(ctx, { command: { params: chatAnswerParams('http://10.0.0.1/webhook-waiting/1/2?signature=s') } })).toEqual({ forwarded: false, why: 'its URL is not a waiting webhook of this n8n' });
		expect(calls).toHaveLength(0);
		expect(warnings[0]).toMatch(/dropped: its URL is not a waiting webhook of this n8n/);
	});
});
