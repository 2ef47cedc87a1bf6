/**
 * The answer to an operation's declared request, handed whole (status, headers, a body that may
 * still be a stream) from the routing's postReceive to the client, which maps it.
 *
 * RoutingNode runs the postReceive hooks on the raw answer and hands the items they return to the
 * caller of `makeRoutingRequest` as they are (n8n-core's routing-node.js,
 * `postProcessResponseData`), so the answer rides on the one item under a symbol: never in its
 * JSON, never in a log.
 */
import type {
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';

const ANSWER = Symbol('pixverseRoutedAnswer');

type CarryingAnswer = INodeExecutionData & { [ANSWER]?: IN8nHttpFullResponse };

/** postReceive of every operation. */
export async function routedAnswer(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const item: CarryingAnswer = { json: {} };
	Object.defineProperty(item, ANSWER, { value: response, enumerable: false });
	return [item];
}

/** The answer `routedAnswer` put on the items `makeRoutingRequest` returned. */
export function answerIn(items: INodeExecutionData[]): IN8nHttpFullResponse | undefined {
	return (items[0] as CarryingAnswer | undefined)?.[ANSWER];
}
