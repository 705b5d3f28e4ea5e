import type { OperationSpec } from '../../../Bitrix24/operations';

/** imbot.v2.Revision.get: the API revisions of the portal (no bot, no token needed). */
export const revisionOperation: OperationSpec = {
	value: 'getRevision',
	name: 'Get API Revision',
	action: 'Get the chatbot API revision',
	description: 'Which revisions of the chatbot API the portal runs: rest, web, mobile, desktop (imbot.v2.Revision.get)',
	method: 'imbot.v2.Revision.get',
	write: false,
	fields: [],
};
