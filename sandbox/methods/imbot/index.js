'use strict';
/**
 * imbot.* v1 (§4): bots, messages, chats, commands, one module each; access.js holds the checks they share
 * (owner, bot, member chat, dialog, command), store.js the chats and messages the bot triggers use too.
 * Bots and commands are owned by the OAuth app or by a webhook CLIENT_ID.
 *
 * The table says which check each method gets: withOwnedBot(h, rule) passes the caller's bot (BOT_ID by `rule`,
 * see access.js), withMemberChat(h) the bot and its CHAT_ID group chat, withOwnedCommand(h) the caller's command.
 */
const bot = require('./bot');
const message = require('./message');
const chat = require('./chat');
const command = require('./command');
const { withOwnedBot, withMemberChat, withOwnedCommand } = require('./access');
const { COLORS, chatForDialog, storeMessage, privateChat, dialogIdOf } = require('./store');

module.exports = {
	methods: {
		'imbot.register': bot.register,
		'imbot.update': withOwnedBot(bot.update, 'positive'),
		'imbot.unregister': withOwnedBot(bot.unregister, 'required'),
		'imbot.bot.list': bot.botList,
		'imbot.message.add': withOwnedBot(message.messageAdd),
		'imbot.message.update': withOwnedBot(message.messageUpdate),
		'imbot.message.delete': withOwnedBot(message.messageDelete),
		'imbot.message.like': withOwnedBot(message.messageLike),
		'imbot.chat.add': withOwnedBot(chat.chatAdd),
		'imbot.chat.get': withOwnedBot(chat.chatGet),
		'imbot.dialog.get': withOwnedBot(chat.dialogGet),
		'imbot.chat.leave': withMemberChat(chat.chatLeave),
		'imbot.chat.user.add': withMemberChat(chat.chatUserAdd),
		'imbot.chat.user.list': withMemberChat(chat.chatUserList),
		'imbot.chat.user.delete': withMemberChat(chat.chatUserDelete),
		'imbot.chat.updateTitle': withMemberChat(chat.updateTitle),
		'imbot.chat.updateColor': withMemberChat(chat.updateColor),
		'imbot.chat.updateAvatar': withMemberChat(chat.updateAvatar),
		'imbot.chat.setOwner': withMemberChat(chat.setOwner),
		'imbot.chat.setManager': withMemberChat(chat.setManager),
		'imbot.chat.sendTyping': withOwnedBot(chat.sendTyping),
		'imbot.command.register': withOwnedBot(command.commandRegister, 'present'),
		'imbot.command.update': withOwnedCommand(command.commandUpdate),
		'imbot.command.unregister': withOwnedCommand(command.commandUnregister),
		'imbot.command.answer': withOwnedCommand(command.commandAnswer, { byName: true }),
	},
	COLORS,
	chatForDialog,
	storeMessage,
	privateChat,
	dialogIdOf,
};
