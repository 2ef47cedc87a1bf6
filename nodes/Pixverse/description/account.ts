/**
 * Resource Account: the Segmind balance. Free (no model runs), and the same request as the
 * credential test.
 */
import type { INodeProperties } from 'n8n-workflow';

import { getCredits } from '../actions/getCredits';
import { CREDITS_PATH } from '../transport/credential';
import { routedThroughClient } from './video';

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
				routing: routedThroughClient('GET', [], getCredits, CREDITS_PATH),
			},
		],
		default: 'getCredits',
	},
];
