/** The node's one-line description, the same in every version. */
export const CHATBOT_DESCRIPTION = 'Register Bitrix24 chatbots, send messages with keyboards, attachments and files, run chats and commands';
