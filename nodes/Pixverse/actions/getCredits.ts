/**
 * Get Credits: the Segmind balance, free (no model runs), the same request as the credential
 * test, so a workflow can check the balance before a batch.
 */
import type {
	DeclarativeRestApiSettings,
	IExecutePaginationFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import { CREDITS_TIMEOUT_MS, SegmindClient } from '../transport/client';
import { segmindMessageFrom } from '../transport/answers';

/**
 * Segmind's words for an account that never had a balance (docs/segmind-api.md, "Account").
 * Besides the wording of a 406, the only message the node reads; it decides nothing about a retry
 * or money, only a zero balance against a wrong Base URL, both answered 404.
 */
const NO_BALANCE_RECORD = /no credits found/i;

/**
 * The balance in names an expression can use (`$json.freeCredits`, not `$json["free-credits"]`).
 * Segmind answers 404 "No credits found" for an account that never had a balance: that is a
 * balance of zero, not a failure a workflow should stop on.
 */
export async function getCredits(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const client = SegmindClient.for(this, String(requestData.options.baseURL ?? ''), {});
	return await client.redacting(async () => {
		const callContext = { call: 'credits' as const };
		const response = await client.send(
			'credits',
			async () => await this.makeRoutingRequest(requestData),
			{
				timeoutMs: CREDITS_TIMEOUT_MS,
				alsoAccept: [404],
			},
		);
		let credits = 0;
		let freeCredits = 0;
		if (response.statusCode === 404) {
			const body = await client.bodyOf(response, callContext);
			if (!NO_BALANCE_RECORD.test(segmindMessageFrom(body))) {
				// Any other 404 (a wrong Base URL) is the failure it is.
				throw await client.statusError(response, body, callContext);
			}
		} else {
			const answer = await client.jsonAnswer(response, callContext);
			credits = Number(answer.credits ?? 0);
			freeCredits = Number(answer['free-credits'] ?? 0);
		}
		return [
			{
				json: { credits, freeCredits, totalCredits: credits + freeCredits },
				pairedItem: { item: this.getItemIndex() },
			},
		];
	});
}
