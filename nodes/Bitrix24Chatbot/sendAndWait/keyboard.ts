import type { IDataObject } from 'n8n-workflow';

import { chatAnswerParams } from '../../Bitrix24/events/sendAndWaitAnswer';
import type { Entry } from '../fields/entryActions';
import { buildKeyboard } from '../fields/keyboard';
import type { AnswerButton } from './config';

/**
 * The request's keyboard, built by the node's own keyboard builder: LINK buttons that open the signed resume URL of
 * each answer, or (Answer In Chat) COMMAND buttons of `chatCommand` whose params carry that URL for the trigger.
 * Command buttons block after the first press (one answer), except with approvers: a press by someone not listed is
 * refused, and the buttons must stay usable for the approver.
 */
export function answerKeyboard(buttons: AnswerButton[], urlOf: (approved: boolean) => string, chatCommand?: string, block = true): IDataObject {
	const entries: Entry[] = buttons.map((button, index) => {
		const url = urlOf(button.approved);
		const colour = { bgColorToken: index === 0 ? 'primary' : 'secondary', display: 'LINE' };
		return chatCommand
			? { type: 'command', text: button.label, command: chatCommand, commandParams: chatAnswerParams(url), options: { ...colour, block } }
			: { type: 'link', text: button.label, link: url, options: colour };
	});
	return buildKeyboard(entries);
}
