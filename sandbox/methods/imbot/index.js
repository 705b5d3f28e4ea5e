'use strict';
/**
 * imbot.* v1 (§4): bots, messages, chats, commands, one module each; access.js holds the checks they share
 * (owner, bot, member chat, dialog, command), store.js the chats and messages the bot triggers use too.
 * Bots and commands are owned by the OAuth app or by a webhook CLIENT_ID.
 */
const bot = require('./bot');
const message = require('./message');
const chat = require('./chat');
const command = require('./command');
const { COLORS, chatForDialog, storeMessage, privateChat, dialogIdOf } = require('./store');

module.exports = {
	methods: { ...bot.methods, ...message.methods, ...chat.methods, ...command.methods },
	COLORS,
	chatForDialog,
	storeMessage,
	privateChat,
	dialogIdOf,
};
