/**
 * The demo's progress, read from the lines n8n and the node log while the workflow runs, never
 * guessed from a clock: a node starting, an image upload, a retry (what failed, attempt n of m,
 * the wait), a job Segmind accepted, a node done. Each line is matched where it stands in n8n's
 * output, whatever n8n prints around the node's own words.
 */
export type Progress =
	| { stage: 'nodeStarted'; node: string }
	| { stage: 'uploading'; url: string }
	| {
			stage: 'retrying';
			call: string;
			inSeconds: number;
			attempt: number;
			attempts: number;
			failure: string;
	  }
	| { stage: 'jobAccepted'; requestId: string; model: string }
	| { stage: 'nodeFinished'; node: string };

/** n8n-core's own debug lines around each node. */
const NODE_STARTED = /Start executing node "([^"]+)"/;
const NODE_FINISHED = /Running node "([^"]+)" finished/;
/** The node's lines (transport/client.ts and actions/submittedJob.ts). */
const UPLOADING = /Uploading an image to Segmind Storage at (\S+)/;
const RETRYING =
	/Retrying Segmind (.+?) in ([\d.]+) s \(attempt (\d+) of (\d+), item \d+, node "[^"]*"\): (.*)$/;
const JOB_ACCEPTED = /Segmind accepted job (\S+) \(model ([^,]+),/;

export function progressIn(line: string): Progress | undefined {
	let match = RETRYING.exec(line);
	if (match) {
		return {
			stage: 'retrying',
			call: match[1],
			inSeconds: Number(match[2]),
			attempt: Number(match[3]),
			attempts: Number(match[4]),
			// n8n may print the log line's metadata after the message.
			failure: match[5].replace(/\s*\{".*$/, ''),
		};
	}
	if ((match = JOB_ACCEPTED.exec(line))) {
		return { stage: 'jobAccepted', requestId: match[1], model: match[2] };
	}
	if ((match = UPLOADING.exec(line))) return { stage: 'uploading', url: match[1] };
	if ((match = NODE_STARTED.exec(line))) return { stage: 'nodeStarted', node: match[1] };
	if ((match = NODE_FINISHED.exec(line))) return { stage: 'nodeFinished', node: match[1] };
	return undefined;
}

/** What just happened, said once when it happens. */
export function happened(progress: Progress): string {
	switch (progress.stage) {
		case 'nodeStarted':
			return `node "${progress.node}" started: sending its request to Segmind`;
		case 'uploading':
			return `uploading an image to Segmind Storage (${progress.url})`;
		case 'retrying':
			return `${progress.failure}: trying the ${progress.call} again in ${progress.inSeconds} s (attempt ${progress.attempt} of ${progress.attempts})`;
		case 'jobAccepted':
			return `Segmind accepted job ${progress.requestId} (model ${progress.model}) and is making the video; the node checks on it until it is done`;
		case 'nodeFinished':
			return `node "${progress.node}" finished; n8n is saving the run`;
	}
}

/** What the demo waits on in that state, for a reminder while nothing new happens. */
export function waitingOn(progress: Progress | undefined): string {
	switch (progress?.stage) {
		case undefined:
			return 'waiting for n8n to start and load the package';
		case 'nodeStarted':
			return "waiting for Segmind's answer to the request";
		case 'uploading':
			return 'waiting for the upload to Segmind Storage';
		case 'retrying':
			return `waiting to try the ${progress.call} again (attempt ${progress.attempt} of ${progress.attempts})`;
		case 'jobAccepted':
			return `waiting for Segmind to finish job ${progress.requestId}`;
		case 'nodeFinished':
			return 'waiting for n8n to save the run';
	}
}
