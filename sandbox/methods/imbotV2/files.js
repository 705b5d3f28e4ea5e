'use strict';
/**
 * imbot.v2.File.upload / download (imbot.v2/files/*.md) and im.v2.File.upload / download (im.v2/files/*.md).
 * upload takes base64 `fields.content` (at most 100 MiB decoded), keeps the bytes once (one Buffer, nothing else),
 * and posts a message with the file. download answers a `downloadUrl` on the sandbox itself,
 * /rest/download.json?token=imbot|RANDOM, valid for 10 minutes; handleDownload serves it (GET/HEAD).
 */
const crypto = require('crypto');
const { Readable } = require('stream');
const { isoWithOffset } = require('../../envelope');
const { storeMessage } = require('../imbot/store');
const { isEmpty, isPlainObject, fail } = require('../util');
const { sendJson } = require('../../http');
const { v2, nextV2Id, chatOfDialog } = require('./store');
const { fileObject, chatObject } = require('./shapes');
const { deny, idParam } = require('./access');
const { postMessage, tellUsers } = require('./message');

const MAX_FILE = 100 * 1024 * 1024;
const LINK_TTL_MS = 10 * 60 * 1000;
const CHUNK = 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/\r\n_-]*={0,2}\s*$/;
const MIME = {
	txt: 'text/plain; charset=utf-8', csv: 'text/csv', html: 'text/html', json: 'application/json', xml: 'application/xml', pdf: 'application/pdf',
	png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', bmp: 'image/bmp', svg: 'image/svg+xml',
	mp3: 'audio/mpeg', ogg: 'audio/ogg', wav: 'audio/wav', mp4: 'video/mp4', webm: 'video/webm', zip: 'application/zip',
	doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	xls: 'application/vnd.ms-excel', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The bytes of base64 `content`; the size is checked from the length before anything is decoded. */
function decode(content) {
	if (typeof content !== 'string' || !BASE64.test(content)) fail('FILE_INVALID_CONTENT', 'Invalid base64 content');
	// 4 characters carry 3 bytes; 3% more allows for line breaks, the exact size is checked after decoding.
	if (content.length > Math.ceil(MAX_FILE / 3) * 4 * 1.03 + 4) fail('FILE_TOO_LARGE', 'File is too large');
	const bytes = Buffer.from(content, 'base64');
	if (bytes.length > MAX_FILE) fail('FILE_TOO_LARGE', 'File is too large');
	if (!bytes.length) fail('FILE_EMPTY', 'File name or content is empty');
	return bytes;
}

function kindOf(ext) {
	const mime = MIME[ext] || '';
	return mime.startsWith('image/') ? 'image' : mime.startsWith('audio/') ? 'audio' : mime.startsWith('video/') ? 'video' : 'file';
}

/**
 * Stores fields {name, content} in `chat` for `authorId`; the message comes from `post(text, fileId)`.
 * The request's base64 string is replaced by a note first, so the request log never keeps 133 MB around.
 */
function storeFile(ctx, chat, authorId, post) {
	const f = ctx.params.fields;
	if (!isPlainObject(f) || isEmpty(f.name) || isEmpty(f.content)) fail('FILE_EMPTY', 'File name or content is empty');
	const content = f.content;
	if (typeof content === 'string') f.content = `[base64, ${content.length} characters]`; // also when decoding fails
	const bytes = decode(content);
	const name = String(f.name).trim().replace(/[\\/]/g, '_');
	const dot = name.lastIndexOf('.');
	const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
	const id = nextV2Id(ctx.state, 'file');
	const file = {
		id, chatId: chat.ID, name, extension, size: bytes.length, type: kindOf(extension), mime: MIME[extension] || 'application/octet-stream',
		bytes, authorId, date: isoWithOffset(Date.now()), messageId: 0,
	};
	v2(ctx.state).files.set(id, file);
	const msg = post(isEmpty(f.message) ? '' : String(f.message), id);
	file.messageId = msg.ID;
	return { file: fileObject(ctx.state, file, { brief: true }), messageId: msg.ID, chatId: chat.ID, dialogId: chatObject(ctx.state, chat, authorId, { forEvent: true }).dialogId };
}

function upload(ctx, bot, chat) {
	return storeFile(ctx, chat, bot.id, (text, id) => postMessage(ctx.portal, bot, chat, { message: text }, { system: false, extra: { FILE_IDS: [id] } }));
}

/** A link to the file's bytes on this sandbox (expired links are dropped first). */
function link(ctx, file) {
	const { downloads } = v2(ctx.state);
	const now = Date.now();
	for (const [t, d] of downloads) if (d.expires <= now) downloads.delete(t);
	const token = crypto.randomBytes(24).toString('base64url');
	downloads.set(token, { fileId: file.id, expires: now + LINK_TTL_MS });
	return { downloadUrl: `${ctx.portal.url}/rest/download.json?token=${encodeURIComponent(`imbot|${token}`)}` };
}

function download(ctx, bot) {
	const file = v2(ctx.state).files.get(idParam(ctx.params, 'fileId'));
	if (!file) fail('FILE_NOT_FOUND', 'File not found');
	const chat = ctx.state.chats.get(file.chatId);
	if (!chat || !chat.USERS.includes(bot.id)) deny('FILE_ACCESS_ERROR', 'No permission to download the file');
	return link(ctx, file);
}

/** The chat of dialogId for the calling user (im.v2.*): CHAT_NOT_FOUND / ACCESS_DENIED. */
function userChat(ctx) {
	const chat = chatOfDialog(ctx.state, ctx.auth.userId, ctx.params.dialogId, 'CHAT_NOT_FOUND');
	if (!chat.USERS.includes(ctx.auth.userId)) deny('ACCESS_DENIED', 'No access to the chat');
	return chat;
}

function userUpload(ctx) {
	const chat = userChat(ctx);
	const userId = ctx.auth.userId;
	return storeFile(ctx, chat, userId, (text, id) => {
		const msg = storeMessage(ctx.state, chat, userId, { MESSAGE: text });
		msg.FILE_IDS = [id];
		tellUsers(ctx.portal, chat, 'ONIMV2MESSAGEADD', msg, userId);
		return msg;
	});
}

function userDownload(ctx) {
	const chat = userChat(ctx);
	const file = v2(ctx.state).files.get(idParam(ctx.params, 'fileId'));
	if (!file || file.chatId !== chat.ID) fail('FILE_NOT_FOUND', 'File not found');
	return link(ctx, file);
}

/** RFC 6266 filename: an ASCII fallback plus filename* in UTF-8. */
function disposition(name) {
	const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** GET|HEAD /rest/download.json?token=imbot|…: the file's exact bytes, streamed in 1 MiB slices of the stored Buffer. */
function handleDownload(portal, req, res, url) {
	if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'METHOD_NOT_ALLOWED', error_description: 'Use GET' });
	const token = String(url.searchParams.get('token') || '').replace(/^imbot\|/, '');
	const store = v2(portal.state);
	const link = store.downloads.get(token);
	const file = link && link.expires > Date.now() ? store.files.get(link.fileId) : null;
	if (!file) return sendJson(res, 404, { error: 'FILE_NOT_FOUND', error_description: 'The link is unknown or has expired' });
	res.writeHead(200, { 'content-type': file.mime, 'content-length': file.size, 'content-disposition': disposition(file.name), 'cache-control': 'private, no-store' });
	if (req.method === 'HEAD') return res.end();
	const bytes = file.bytes;
	Readable.from((function* slices() {
		for (let i = 0; i < bytes.length; i += CHUNK) yield bytes.subarray(i, i + CHUNK);
	})()).pipe(res);
	return undefined;
}

module.exports = { upload, download, userUpload, userDownload, handleDownload, storeFile, MAX_FILE, LINK_TTL_MS };
