import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { AuthKind } from '../transport';
import { authFailure, resolvePortal } from '../transport';
import { executeCalls } from './executeCalls';
import { executeEach } from './executeEach';
import { executeList } from './executeList';
import { errorItem } from './executeShared';
import type { Prepared, RunContext } from './executeShared';
import { paramsFromFields } from './fieldValues';
import { runsAsTool } from './toolMode';
import type { ItemContext, OperationSpec, ResourceSpec } from './types';
import { FieldError } from './types';

export { defaultOutput } from './executeShared';

function findOperation(resources: ResourceSpec[], resource: string, operation: string): OperationSpec | undefined {
	return resources.find((r) => r.value === resource)?.operations.find((o) => o.value === operation);
}

/**
 * The one executor of both action nodes. For the current resource/operation it reads and checks every item's fields
 * before sending anything, then hands over to the Get Many executor (executeList: rows per item) or the call executor
 * (executeCalls: planned, batched calls, one output or error item per input item). Every item's answer carries
 * pairedItem; Continue On Fail decides between error items and one thrown error.
 */
export async function executeOperation(this: IExecuteFunctions, resources: ResourceSpec[]): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const spec = findOperation(resources, resource, operation);
	if (!spec) {
		throw new NodeOperationError(node, `The operation "${operation}" of resource "${resource}" is not supported by this node.`);
	}
	const auth = this.getNodeParameter('authentication', 0) as AuthKind;
	const portal = await resolvePortal(this, auth);
	// as an agent's tool, a failure is an answer the agent reads (an error item), never the end of its run
	const continueOnFail = this.continueOnFail() || runsAsTool(this);

	const refused = authFailure(portal, spec.method);
	if (refused) {
		const error = new NodeOperationError(node, refused.description, { itemIndex: 0 });
		if (!continueOnFail) throw error;
		return [items.map((_, i) => errorItem(i, error.message, refused.code))];
	}

	// Every item's params, checked before any request is sent.
	const prepared: Prepared[] = [];
	for (let i = 0; i < items.length; i++) {
		prepared.push(await prepareItem(this, spec, { ctx: this, itemIndex: i, auth, portal }));
	}
	const firstBad = prepared.findIndex((p) => !p.ok);
	if (firstBad >= 0 && !continueOnFail) throw (prepared[firstBad] as { error: Error }).error;

	const run: RunContext = { ctx: this, node, portal, spec, prepared, continueOnFail };
	if (spec.list) return [await executeList(run)];
	return [spec.load || spec.complete ? await executeEach(run) : await executeCalls(run)];
}

async function prepareItem(ctx: IExecuteFunctions, spec: OperationSpec, item: ItemContext): Promise<Prepared> {
	try {
		let params: IDataObject = await paramsFromFields(spec.fields, item);
		if (spec.constants) params = { ...params, ...spec.constants };
		if (spec.build) params = await spec.build(params, item);
		return { ok: true, params };
	} catch (error) {
		if (error instanceof FieldError || error instanceof NodeOperationError) {
			const message = error instanceof FieldError ? `${error.message}.`.replace(/\.\.$/, '.') : error.message;
			return { ok: false, error: new NodeOperationError(ctx.getNode(), message, { itemIndex: item.itemIndex }) };
		}
		throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: item.itemIndex });
	}
}
