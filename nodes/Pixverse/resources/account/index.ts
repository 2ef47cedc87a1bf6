import type {
	IDataObject,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { CREDITS_PATH } from '../../contract';
import {
	bodyAsText,
	parseJsonObject,
	segmindMessageFrom,
	throwIfSegmindFailed,
} from '../../errors';

const NO_BALANCE_RECORD = /no credits found/i;

/**
 * postReceive: the balance in names an expression can use (`$json.freeCredits`, not
 * `$json["free-credits"]`). Segmind answers 404 "No credits found" for an account that never had a
 * balance: that is a balance of zero, not a failure a workflow should stop on.
 */
export async function creditsFromResponse(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const noBalanceYet =
		response.statusCode === 404 && NO_BALANCE_RECORD.test(segmindMessageFrom(response.body));
	if (!noBalanceYet) await throwIfSegmindFailed.call(this, response, { kind: 'credits' });
	const answer: IDataObject = noBalanceYet
		? {}
		: (parseJsonObject(bodyAsText(response.body)) ?? {});
	const credits = Number(answer.credits ?? 0);
	const freeCredits = Number(answer['free-credits'] ?? 0);
	return [
		{
			json: { credits, freeCredits, totalCredits: credits + freeCredits },
			pairedItem: { item: this.getItemIndex() },
		},
	];
}

export const accountDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: [
			{
				name: 'Get Credits',
				value: 'getCredits',
				action: 'Get the credit balance',
				description:
					'Read the Segmind credit balance, for example to check it before a batch. Free: runs no model.',
				routing: {
					request: { method: 'GET', url: CREDITS_PATH, ignoreHttpStatusErrors: true },
					output: { postReceive: [creditsFromResponse] },
				},
			},
		],
		default: 'getCredits',
	},
];
