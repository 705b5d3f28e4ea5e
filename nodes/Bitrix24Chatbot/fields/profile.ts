import type { INodePropertyOptions } from 'n8n-workflow';

/** A bot's gender in both API versions (v1 PERSONAL_GENDER, v2 properties.gender): F or M. */
export const GENDER_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Female', value: 'F' },
	{ name: 'Male', value: 'M' },
];
