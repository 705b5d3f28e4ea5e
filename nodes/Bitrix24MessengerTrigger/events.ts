import type { INodePropertyOptions } from 'n8n-workflow';

/** The user-side messenger events of im.v2.Event.get (b24restdocs chat-bots-v2/im.v2/events/events.md). */
export const MESSENGER_EVENTS: INodePropertyOptions[] = [
	{ name: 'Member Added to a Chat', value: 'ONIMV2JOINCHAT', description: 'ONIMV2JOINCHAT: someone (you too) was added to one of your chats' },
	{ name: 'Message Deleted', value: 'ONIMV2MESSAGEDELETE', description: 'ONIMV2MESSAGEDELETE' },
	{ name: 'Message Edited', value: 'ONIMV2MESSAGEUPDATE', description: 'ONIMV2MESSAGEUPDATE' },
	{ name: 'Message Received', value: 'ONIMV2MESSAGEADD', description: 'ONIMV2MESSAGEADD: a new message in any of your chats' },
	{ name: 'Reaction Changed', value: 'ONIMV2REACTIONCHANGE', description: 'ONIMV2REACTIONCHANGE: a reaction on a message in one of your chats was set or removed' },
];

export const MESSENGER_EVENT_NAMES = MESSENGER_EVENTS.map((o) => String(o.value));

/** The events whose `user` is the message's author: the ones "Ignore My Own Messages" drops when that author is me. */
export const MESSAGE_EVENTS = ['ONIMV2MESSAGEADD', 'ONIMV2MESSAGEUPDATE', 'ONIMV2MESSAGEDELETE'];
