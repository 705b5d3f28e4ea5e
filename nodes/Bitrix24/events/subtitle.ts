import type { INodePropertyOptions } from 'n8n-workflow';

/**
 * The canvas subtitle of a trigger: the chosen events by their UI names (not Bitrix24's codes such as
 * ONIMBOTMESSAGEADD), e.g. "Message Added, Command Run". Unknown codes are shown as they are.
 */
export function eventsSubtitle(events: INodePropertyOptions[]): string {
	const names = Object.fromEntries(events.map((option) => [String(option.value), option.name]));
	return `={{ ($parameter["events"] || []).map((code) => (${JSON.stringify(names)})[code] || code).join(", ") }}`;
}
