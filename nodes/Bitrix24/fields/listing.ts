import type { FieldSpec } from '../operations/types';
import { checkListLimit } from '../operations/validators';

/** Return All / Limit, shared by every Get Many operation (read by the executor, not sent as params). */
export const returnAll: FieldSpec = {
	property: {
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
};

export const limit: FieldSpec = {
	property: {
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	// checked with the other fields before anything is sent; executeList reads it (it is not a param of the call)
	encode: (value) => checkListLimit(value),
};
