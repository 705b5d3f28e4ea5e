'use strict';
/**
 * Chatbots 2.0 (§5): the 34 imbot.v2.* methods and the 5 im.v2.* methods of bitrix24-methods.txt.
 * One module per resource (bot, chat, message, command, files, eventQueue); access.js holds the checks they share.
 *
 * The table names each method's check: withBot(h) passes the caller's bot (botToken / botId / owner rules),
 * withChat(h, {role, group}) that bot and the chat of `dialogId` it is a member of. Bot.register, Bot.get,
 * Bot.list and Revision.get check the caller themselves; im.v2.* run as the calling user.
 */
const bot = require('./bot');
const chat = require('./chat');
const message = require('./message');
const command = require('./command');
const files = require('./files');
const events = require('./eventQueue');
const { withBot, withChat } = require('./access');

const methods = {
	'imbot.v2.Bot.register': bot.register,
	'imbot.v2.Bot.update': withBot(bot.update),
	'imbot.v2.Bot.get': bot.get,
	'imbot.v2.Bot.list': bot.list,
	'imbot.v2.Bot.unregister': withBot(bot.unregister),
	'imbot.v2.Chat.add': withBot(chat.add),
	'imbot.v2.Chat.get': withChat(chat.get),
	'imbot.v2.Chat.update': withChat(chat.update, { group: true }),
	'imbot.v2.Chat.User.add': withChat(chat.userAdd, { role: 'admin', group: true }),
	'imbot.v2.Chat.User.delete': withChat(chat.userDelete, { role: 'admin', group: true }),
	'imbot.v2.Chat.User.list': withChat(chat.userList),
	'imbot.v2.Chat.leave': withChat(chat.leave, { group: true }),
	'imbot.v2.Chat.Manager.add': withChat(chat.managerAdd, { role: 'owner', group: true }),
	'imbot.v2.Chat.Manager.delete': withChat(chat.managerDelete, { role: 'owner', group: true }),
	'imbot.v2.Chat.setOwner': withChat(chat.setOwner, { role: 'owner', group: true }),
	'imbot.v2.Chat.Message.send': withChat(message.send),
	'imbot.v2.Chat.Message.update': withBot(message.update),
	'imbot.v2.Chat.Message.delete': withBot(message.remove),
	'imbot.v2.Chat.Message.read': withChat(message.read),
	'imbot.v2.Chat.Message.get': withBot(message.get),
	'imbot.v2.Chat.Message.getContext': withBot(message.getContext),
	'imbot.v2.Chat.Message.Reaction.add': withBot(message.reactionAdd),
	'imbot.v2.Chat.Message.Reaction.delete': withBot(message.reactionDelete),
	'imbot.v2.Command.register': withBot(command.register),
	'imbot.v2.Command.update': withBot(command.update),
	'imbot.v2.Command.list': withBot(command.list),
	'imbot.v2.Command.unregister': withBot(command.unregister),
	'imbot.v2.Command.answer': withBot(command.answer),
	'imbot.v2.Chat.InputAction.notify': withChat(chat.inputActionNotify),
	'imbot.v2.Chat.TextField.enabled': withChat(chat.textFieldEnabled),
	'imbot.v2.Event.get': withBot(events.eventGet),
	'imbot.v2.File.upload': withChat(files.upload),
	'imbot.v2.File.download': withBot(files.download),
	'imbot.v2.Revision.get': bot.revisionGet,
	'im.v2.Event.subscribe': events.subscribe,
	'im.v2.Event.unsubscribe': events.unsubscribe,
	'im.v2.Event.get': events.userEventGet,
	'im.v2.File.upload': files.userUpload,
	'im.v2.File.download': files.userDownload,
};

/** File transfers may not run inside batch (settings/how-to-call-rest-api/batch.md: 405 ERROR_BATCH_METHOD_NOT_ALLOWED). */
const NOT_IN_BATCH = ['imbot.v2.File.upload', 'imbot.v2.File.download', 'im.v2.File.upload', 'im.v2.File.download'];
for (const name of NOT_IN_BATCH) methods[name].notInBatch = true;

module.exports = { methods, NOT_IN_BATCH, handleDownload: files.handleDownload };
