import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * Whether the node runs as an AI Agent's tool (n8n adds "Tool" to the type of a node connected to an agent, e.g.
 * bitrix24ChatbotTool; a supply-data context also says so itself). A tool's failure then goes back to the agent as an
 * output item `{ error, code }` it can read and act on (retry with other values, tell the customer) instead of a
 * thrown error that ends the agent's run — n8n's tool contract gives the agent a tool's output as text.
 */
export function runsAsTool(ctx: IExecuteFunctions): boolean {
	const own = (ctx as { isToolExecution?: () => boolean }).isToolExecution;
	if (typeof own === 'function' && own.call(ctx)) return true;
	return /Tool$/.test(ctx.getNode().type) && !/HitlTool$/.test(ctx.getNode().type);
}
