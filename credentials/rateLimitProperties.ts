import type { INodeProperties } from 'n8n-workflow';

/** The portal's request-rate limit (Bitrix24 leaky bucket), shared by both credentials; the transport paces by it. */
export const rateLimitProperties: INodeProperties[] = [
	{
		displayName: 'Requests per Second',
		name: 'rateLimit',
		type: 'number',
		typeOptions: { minValue: 0.1, numberPrecision: 1 },
		default: 2,
		description: 'How fast the portal drains its request counter: 2 on most cloud plans, 5 on Enterprise. Every node call is paced to stay under it.',
	},
	{
		displayName: 'Burst',
		name: 'rateBurst',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'How many requests the portal accepts at once before pacing starts: 50 on most cloud plans, 250 on Enterprise',
	},
];
