'use strict';
/**
 * The portal's data. Plain Maps and arrays; every method family reads and writes here.
 * createState() gives a fresh portal: users 1..5, open line 1 "Sandbox line" (active),
 * the built-in connectors, nothing else.
 */
const { isoWithOffset } = require('./envelope');

const SEED_USERS = [
	{ ID: 1, NAME: 'Anna', LAST_NAME: 'Admin', EMAIL: 'admin@sandbox.local', ADMIN: true, WORK_POSITION: 'Administrator', PERSONAL_GENDER: 'F' },
	{ ID: 2, NAME: 'Boris', LAST_NAME: 'Becker', EMAIL: 'boris@sandbox.local', ADMIN: false, WORK_POSITION: 'Operator', PERSONAL_GENDER: 'M' },
	{ ID: 3, NAME: 'Clara', LAST_NAME: 'Schmidt', EMAIL: 'clara@sandbox.local', ADMIN: false, WORK_POSITION: 'Operator', PERSONAL_GENDER: 'F' },
	{ ID: 4, NAME: 'David', LAST_NAME: 'Meyer', EMAIL: 'david@sandbox.local', ADMIN: false, WORK_POSITION: 'Sales', PERSONAL_GENDER: 'M' },
	{ ID: 5, NAME: 'Eva', LAST_NAME: 'Wagner', EMAIL: 'eva@sandbox.local', ADMIN: false, WORK_POSITION: 'Support', PERSONAL_GENDER: 'F' },
];

const BUILTIN_CONNECTORS = { livechat: 'Live Chat', telegrambot: 'Telegram', network: 'Bitrix24.Network' };

/** A line config with the documented fields (string values, as imopenlines.config.get returns them). */
function lineConfig(id, params = {}) {
	const now = isoWithOffset(Date.now());
	const base = {
		ID: String(id), ACTIVE: 'Y', LINE_NAME: `Open Channel ${id}`,
		CRM: 'Y', CRM_CREATE: 'lead', CRM_CREATE_SECOND: '', CRM_CREATE_THIRD: 'Y', CRM_FORWARD: 'Y', CRM_CHAT_TRACKER: 'N', CRM_TRANSFER_CHANGE: 'Y', CRM_SOURCE: 'create',
		QUEUE_TIME: '60', NO_ANSWER_TIME: '60', QUEUE_TYPE: 'evenly', CHECK_AVAILABLE: 'N', WATCH_TYPING: 'Y',
		WELCOME_BOT_ENABLE: 'N', WELCOME_MESSAGE: 'Y', WELCOME_MESSAGE_TEXT: 'Welcome to the sandbox line.',
		VOTE_MESSAGE: 'Y', VOTE_TIME_LIMIT: '0', VOTE_BEFORE_FINISH: 'Y', VOTE_CLOSING_DELAY: 'N',
		AGREEMENT_MESSAGE: 'N', AGREEMENT_ID: '0', CATEGORY_ENABLE: 'N', CATEGORY_ID: '0',
		WELCOME_BOT_JOIN: 'always', WELCOME_BOT_ID: '0', WELCOME_BOT_TIME: '600', WELCOME_BOT_LEFT: 'queue',
		NO_ANSWER_RULE: 'none', NO_ANSWER_FORM_ID: '0', NO_ANSWER_BOT_ID: '0', NO_ANSWER_TEXT: '',
		WORKTIME_ENABLE: 'N', WORKTIME_FROM: '9', WORKTIME_TO: '18.30', WORKTIME_TIMEZONE: '', WORKTIME_HOLIDAYS: [], WORKTIME_DAYOFF: ['SA', 'SU'],
		WORKTIME_DAYOFF_RULE: 'text', WORKTIME_DAYOFF_FORM_ID: '0', WORKTIME_DAYOFF_BOT_ID: '0', WORKTIME_DAYOFF_TEXT: '',
		CLOSE_RULE: 'none', CLOSE_FORM_ID: '0', CLOSE_BOT_ID: '0', CLOSE_TEXT: '', FULL_CLOSE_TIME: '10',
		AUTO_CLOSE_RULE: 'none', AUTO_CLOSE_FORM_ID: '0', AUTO_CLOSE_BOT_ID: '0', AUTO_CLOSE_TIME: '14400', AUTO_CLOSE_TEXT: '', AUTO_EXPIRE_TIME: '86400',
		DATE_CREATE: now, DATE_MODIFY: now, MODIFY_USER_ID: '1',
		TEMPORARY: 'N', XML_ID: '', LANGUAGE_ID: 'en', QUICK_ANSWERS_IBLOCK_ID: '0', SESSION_PRIORITY: '0', TYPE_MAX_CHAT: 'answered', MAX_CHAT: '0',
		OPERATOR_DATA: 'profile', DEFAULT_OPERATOR_DATA: { NAME: '', AVATAR: '', AVATAR_ID: 0 },
		KPI_FIRST_ANSWER_TIME: '0', KPI_FIRST_ANSWER_ALERT: 'N', KPI_FIRST_ANSWER_LIST: [], KPI_FIRST_ANSWER_TEXT: '',
		KPI_FURTHER_ANSWER_TIME: '0', KPI_FURTHER_ANSWER_ALERT: 'N', KPI_FURTHER_ANSWER_LIST: [], KPI_FURTHER_ANSWER_TEXT: '', KPI_CHECK_OPERATOR_ACTIVITY: 'N',
		SEND_NOTIFICATION_EMPTY_QUEUE: 'N', USE_WELCOME_FORM: 'N', WELCOME_FORM_ID: '0', WELCOME_FORM_DELAY: 'N', SEND_WELCOME_EACH_SESSION: 'N', CONFIRM_CLOSE: 'Y', IGNORE_WELCOME_FORM_RESPONSIBLE: 'N',
		QUEUE: [1], QUEUE_ONLINE: 'N',
	};
	return applyLineParams(base, params);
}

function stringifyScalar(v) {
	if (v === true) return 'Y';
	if (v === false) return 'N';
	if (typeof v === 'number') return String(v);
	return v;
}

/** Writes PARAMS into a config: scalars are stored as strings; QUEUE as user ids. */
function applyLineParams(config, params) {
	for (const [key, value] of Object.entries(params || {})) {
		if (key === 'ID') continue;
		if (key === 'QUEUE' && Array.isArray(value)) {
			config.QUEUE = value
				.map((q) => (q && typeof q === 'object' ? (q.ENTITY_TYPE === 'user' || !q.ENTITY_TYPE ? Number(q.ENTITY_ID) : null) : Number(q)))
				.filter((n) => Number.isInteger(n) && n > 0);
			config.CONFIG_QUEUE = value
				.filter((q) => q && typeof q === 'object')
				.map((q) => ({ ENTITY_TYPE: String(q.ENTITY_TYPE || 'user'), ENTITY_ID: String(q.ENTITY_ID) }));
			continue;
		}
		config[key] = value !== null && typeof value === 'object' ? value : stringifyScalar(value);
	}
	config.DATE_MODIFY = isoWithOffset(Date.now());
	return config;
}

function createState() {
	const state = {
		users: new Map(),
		lines: new Map(),
		/** registered connectors: id -> { ID, NAME, ICON, PLACEMENT_HANDLER, CHAT_GROUP, NEED_SIGNATURE, ..., owner } */
		connectors: new Map(),
		/** `${connector}|${line}` -> { connector, line, active, data } */
		connectorLines: new Map(),
		/** `${connector}|${line}|${externalChatId}` -> dialog (Bitrix chat + current session) */
		dialogs: new Map(),
		/** every message pushed by imconnector.send.messages, duplicates included, in arrival order */
		connectorMessages: [],
		/** `${connector}|${line}|${externalChatId}|${externalMessageId}` -> latest stored message */
		connectorMessageIndex: new Map(),
		/** operator messages sent out to the connector (ONIMCONNECTORMESSAGEADD) */
		operatorMessages: new Map(),
		/** im chats: id -> chat (group chats, private dialogs, open line chats) */
		chats: new Map(),
		/** `${userA}|${userB}` (sorted) -> private chat id */
		privateChats: new Map(),
		/** im messages (bot and user messages in chats): id -> message */
		messages: new Map(),
		bots: new Map(),
		commands: new Map(),
		/** event.bind handlers: { id, event, handler, clientId, auth_type, event_type } */
		eventHandlers: [],
		/** `${connector}|${externalUserId}` -> internal user id of an external (connector) user */
		connectorUsers: new Map(),
		seq: { user: 100, chat: 100, message: 1000, session: 200, line: 1, handler: 1, command: 1 },
	};
	for (const u of SEED_USERS) state.users.set(u.ID, { ...u, ACTIVE: true, IS_BOT: false, IS_CONNECTOR: false });
	state.lines.set(1, lineConfig(1, { LINE_NAME: 'Sandbox line', ACTIVE: 'Y' }));
	return state;
}

function nextId(state, kind) {
	state.seq[kind] += 1;
	return state.seq[kind];
}

function mapToObject(map) {
	const out = {};
	for (const [k, v] of map) out[k] = v;
	return out;
}

/** JSON-friendly snapshot of the whole state (GET /sandbox/state). */
function dumpState(state) {
	const out = {};
	for (const [key, value] of Object.entries(state)) {
		if (value instanceof Map) out[key] = mapToObject(value);
		else out[key] = value;
	}
	return out;
}

module.exports = { createState, nextId, dumpState, lineConfig, applyLineParams, SEED_USERS, BUILTIN_CONNECTORS };
