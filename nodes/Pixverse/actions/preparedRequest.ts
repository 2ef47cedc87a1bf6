/**
 * What an operation's preSend worked out for one item (the checked body, the model, the waits),
 * handed to its request executor with the request itself, so the executor never works it out
 * again.
 *
 * RoutingNode hands the executor the very options object the preSend hooks returned (n8n-core's
 * routing-node.js, `makeRequest`: `requestData.options = await preSend(...)`, then
 * `operations.pagination.call(..., requestData)`), so the prepared request rides on that object
 * under a symbol: invisible to the HTTP client, to logs and to JSON.
 */
import type {
	DeclarativeRestApiSettings,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

const PREPARED = Symbol('pixversePreparedRequest');

type WithPrepared<T> = IHttpRequestOptions & { [PREPARED]?: T };

export function withPrepared<T>(options: IHttpRequestOptions, prepared: T): IHttpRequestOptions {
	const carrying: WithPrepared<T> = { ...options };
	Object.defineProperty(carrying, PREPARED, { value: prepared, enumerable: false });
	return carrying;
}

export function preparedOf<T>(
	context: IExecuteSingleFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): T {
	const prepared = (requestData.options as WithPrepared<T>)[PREPARED];
	if (prepared === undefined) {
		// Only a change in how RoutingNode passes the request on could get here.
		throw new NodeOperationError(
			context.getNode(),
			'The request reached its executor without what its preSend hook prepared',
			{ itemIndex: context.getItemIndex() },
		);
	}
	return prepared;
}
