'use strict';
// Prints what happens on the sandbox portal while the demo runs: chat messages (users and bots),
// customer messages arriving in a line through the connector, operator replies going out.
// Reads the in-process sandbox state every half second (new entries only).

function userName(state, id) {
	const u = state.users.get(Number(id));
	return u ? `${u.NAME || ''} ${u.LAST_NAME || ''}`.trim() || `user ${id}` : `user ${id}`;
}

function watchPortal(sb, print, { intervalMs = 500 } = {}) {
	const seen = { messages: new Set(), operator: new Set(), connector: 0, installs: new Map() };
	const mark = () => {
		const s = sb.state;
		for (const id of s.messages.keys()) seen.messages.add(id);
		for (const id of s.operatorMessages.keys()) seen.operator.add(id);
		seen.connector = s.connectorMessages.length;
		for (const a of (sb.portal.localApps || new Map()).values()) seen.installs.set(a.clientId, a.installRequests.length);
	};
	const tick = () => {
		const s = sb.state;
		for (const [id, m] of s.messages) {
			if (seen.messages.has(id)) continue;
			seen.messages.add(id);
			const chat = s.chats.get(m.CHAT_ID);
			const where = chat && chat.TYPE === 'P' ? `private chat ${m.CHAT_ID}` : `chat ${m.CHAT_ID}`;
			print(`[portal] ${where} · ${userName(s, m.AUTHOR_ID)} (id ${m.AUTHOR_ID}): ${m.MESSAGE}`);
		}
		for (const m of s.connectorMessages.slice(seen.connector)) {
			print(`[portal] line ${m.line} ← ${m.connector}, external chat "${m.externalChatId}": ${m.text}  (Bitrix24 chat ${m.chatId})`);
		}
		seen.connector = s.connectorMessages.length;
		for (const [id, m] of s.operatorMessages) {
			if (seen.operator.has(id)) continue;
			seen.operator.add(id);
			print(`[portal] line ${m.line} → ${m.connector}, operator ${userName(s, m.userId)} to external chat "${m.externalChatId}": ${m.text}`);
		}
		// local apps (sandbox/install.js): each install request and what it did
		for (const a of (sb.portal.localApps || new Map()).values()) {
			const done = seen.installs.get(a.clientId) || 0;
			for (const r of a.installRequests.slice(done)) {
				print(`[portal] local app ${a.clientId}: install request (${r.kind}) → ${r.url}: HTTP ${r.status || 'no answer'} → ${a.status === 'installed' ? 'installed' : 'installation pending'}`);
			}
			seen.installs.set(a.clientId, a.installRequests.length);
		}
	};
	const timer = setInterval(tick, intervalMs);
	timer.unref();
	return { stop: () => clearInterval(timer), mark, tick };
}

module.exports = { watchPortal };
