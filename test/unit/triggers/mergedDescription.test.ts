import { Bitrix24ChatbotV2Trigger } from '../../../nodes/Bitrix24ChatbotTrigger/v2/Bitrix24ChatbotTriggerV2.node';

// n8n's node panel merges "Bitrix24 Chatbot" and "Bitrix24 Chatbot Trigger" into one entry and shows the TRIGGER's
// description above the Chatbot node's action list (issue 25 point 7): the text must describe the node's actions too.
test('the v2 Chatbot Trigger description says what the Chatbot node does and when to choose the trigger', () => {
	const { description } = new Bitrix24ChatbotV2Trigger().description;
	expect(description).toMatch(/answers/);
	expect(description).toMatch(/operator/);
	expect(description).toMatch(/approval/);
	expect(description).toMatch(/choose it when n8n has a public address, otherwise the Chatbot Fetch Trigger/);
	expect(description).not.toMatch(/^Starts the workflow/);
});
